package io.inlet.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Validates PROPERTIES and FROM KAFKA/KINESIS property lists against their declarations. */
final class PropertyValidation {
    private PropertyValidation() {
    }

    static StatementException at(Property p, String reason) {
        return new StatementException(Math.max(1, p.line()), Math.max(1, p.column()), reason);
    }

    private static String shown(Property p) {
        return "'" + p.maskedValue() + "'";
    }

    /** Checks job properties: known keys, valid values, alterable keys for ALTER, format-dependent keys. */
    static void validateJob(PropertyList props, boolean alter) {
        for (Property p : props.items()) {
            Optional<PropertyDef> def = JobPropertyDefs.find(p.key());
            if (def.isEmpty()) {
                if (KafkaPropertyDefs.find(p.key()).isPresent() || KinesisPropertyDefs.find(p.key()).isPresent()) {
                    throw at(p, "property '" + p.key() + "' belongs in the FROM KAFKA (...) or FROM KINESIS (...) clause, not in PROPERTIES");
                }
                throw at(p, "unknown property '" + p.key() + "' in PROPERTIES" + suggest(p.key(), JobPropertyDefs.ALL)
                        + "; known: " + JobPropertyDefs.knownNames());
            }
            if (alter && !def.get().alterable()) {
                throw at(p, "property '" + p.key() + "' cannot be changed by ALTER ROUTINE LOAD; alterable: "
                        + JobPropertyDefs.alterableNames());
            }
            String bad = def.get().check(p.value());
            if (bad != null) {
                throw at(p, "invalid value " + shown(p) + " for property '" + p.key() + "': " + bad);
            }
        }
        if (!alter) {
            String format = props.get("format", "csv").trim().toLowerCase(Locale.ROOT);
            for (String jsonOnly : List.of("json_root", "strip_outer_array", "fuzzy_parse", "num_as_string")) {
                Optional<Property> p = props.find(jsonOnly);
                if (p.isPresent() && !format.equals("json")) {
                    throw at(p.get(), "property '" + p.get().key() + "' applies to format 'json' only, but the format is '"
                            + format + "'");
                }
            }
            Optional<Property> paths = props.find("jsonpaths");
            if (paths.isPresent() && format.equals("csv")) {
                throw at(paths.get(), "property 'jsonpaths' applies to formats 'json' and 'avro' only, but the format is 'csv'");
            }
        }
    }

    /**
     * Checks what PROPERTIES ask of the data source: format avro needs the schema registry of FROM KAFKA,
     * reported at the format property.
     */
    static void validateFormatAgainstSource(PropertyList job, String sourceType, PropertyList source) {
        Optional<Property> format = job.find("format");
        if (format.isEmpty() || !format.get().value().trim().equalsIgnoreCase("avro")) {
            return;
        }
        if (!sourceType.equals("KAFKA") || !source.contains(KafkaPropertyDefs.SCHEMA_REGISTRY_URL)) {
            throw at(format.get(), "format 'avro' needs a schema registry: give 'confluent.schema.registry.url' in "
                    + "FROM KAFKA (...)");
        }
    }

    /**
     * Checks the data source properties of {@code sourceType} (KAFKA or KINESIS). For CREATE, required keys
     * missing are reported at {@code fromLine}/{@code fromColumn} (the FROM clause).
     */
    static void validateSource(String sourceType, PropertyList props, boolean alter, int fromLine, int fromColumn) {
        boolean kafka = sourceType.equals("KAFKA");
        List<PropertyDef> defs = kafka ? KafkaPropertyDefs.ALL : KinesisPropertyDefs.ALL;
        String clause = "FROM " + sourceType;
        for (Property p : props.items()) {
            Optional<PropertyDef> def = kafka ? KafkaPropertyDefs.find(p.key()) : KinesisPropertyDefs.find(p.key());
            if (def.isEmpty()) {
                if (JobPropertyDefs.find(p.key()).isPresent()) {
                    throw at(p, "property '" + p.key() + "' belongs in PROPERTIES (...), not in " + clause);
                }
                throw at(p, "unknown property '" + p.key() + "' in " + clause + suggest(p.key(), defs) + "; known: "
                        + PropertyDef.describeAll(defs));
            }
            if (alter && !def.get().alterable()) {
                throw at(p, "property '" + p.key() + "' cannot be changed by ALTER ROUTINE LOAD; alterable in "
                        + clause + ": " + PropertyDef.describeAll(defs.stream().filter(PropertyDef::alterable).toList()));
            }
            String bad = def.get().check(p.value());
            if (bad == null && def.get().isPrefix()) {
                String sub = p.normalizedKey().substring(p.normalizedKey().indexOf('.') + 1);
                PropertyDef.Validator rule = kafka ? KafkaPropertyDefs.CLIENT_VALUES.get(sub) : null;
                bad = rule == null ? null : rule.check(p.value());
            }
            if (bad != null) {
                throw at(p, "invalid value " + shown(p) + " for property '" + p.key() + "': " + bad);
            }
        }
        if (kafka) {
            kafkaCrossChecks(props, alter, fromLine, fromColumn);
        } else {
            KinesisPropertyDefs.crossCheck(props, alter, fromLine, fromColumn);
        }
        Optional<Property> ak = props.find("aws.access_key");
        Optional<Property> sk = props.find("aws.secret_key");
        if (ak.isPresent() && sk.isEmpty()) {
            throw at(ak.get(), "property 'aws.access_key' needs 'aws.secret_key' as well");
        }
        if (sk.isPresent() && ak.isEmpty()) {
            throw at(sk.get(), "property 'aws.secret_key' needs 'aws.access_key' as well");
        }
        if (kafka && !alter) {
            KafkaClientValidation.validate(props, fromLine, fromColumn);
        }
    }

    private static void kafkaCrossChecks(PropertyList props, boolean alter, int fromLine, int fromColumn) {
        if (!alter) {
            if (!props.contains(KafkaPropertyDefs.BROKER_LIST) && !props.contains(KafkaPropertyDefs.MSK_CLUSTER_ARN)) {
                throw new StatementException(fromLine, fromColumn,
                        "FROM KAFKA needs 'kafka_broker_list' (or 'aws.msk.cluster_arn' for Amazon MSK)");
            }
            if (!props.contains(KafkaPropertyDefs.TOPIC)) {
                throw new StatementException(fromLine, fromColumn, "FROM KAFKA needs 'kafka_topic'");
            }
        }
        Optional<Property> offsets = props.find(KafkaPropertyDefs.OFFSETS);
        Optional<Property> partitions = props.find(KafkaPropertyDefs.PARTITIONS);
        if (offsets.isPresent()) {
            if (partitions.isEmpty()) {
                throw at(offsets.get(), "property 'kafka_offsets' needs 'kafka_partitions': give one offset per partition");
            }
            String[] items = offsets.get().value().split(",", -1);
            int np = KafkaPropertyDefs.parsePartitions(partitions.get().value()).size();
            if (items.length != np) {
                throw at(offsets.get(), "'kafka_offsets' has " + items.length + (items.length == 1 ? " offset" : " offsets")
                        + " but 'kafka_partitions' lists " + np + (np == 1 ? " partition" : " partitions"));
            }
            long times = java.util.Arrays.stream(items).filter(i -> KafkaPropertyDefs.isOffsetTime(i.trim())).count();
            if (times > 0 && times < items.length) {
                throw at(offsets.get(), "'kafka_offsets' mixes times with OFFSET_BEGINNING/OFFSET_END/numbers; "
                        + "use one kind for all partitions");
            }
        }
    }

    /** "; did you mean 'x'?" for a near miss, else "". */
    static String suggest(String key, List<PropertyDef> defs) {
        String k = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (PropertyDef d : defs) {
            if (d.isPrefix()) {
                continue;
            }
            int dist = distance(k, d.name());
            if (dist < bestD) {
                bestD = dist;
                best = d.name();
            }
        }
        if (best != null && bestD <= Math.max(2, k.length() / 4)) {
            return "; did you mean '" + best + "'?";
        }
        // else a long common prefix, as in kafka_brokers → kafka_broker_list
        String byPrefix = null;
        int bestPrefix = 0;
        for (PropertyDef d : defs) {
            int n = 0;
            while (n < k.length() && n < d.name().length() && k.charAt(n) == d.name().charAt(n)) {
                n++;
            }
            if (!d.isPrefix() && n > bestPrefix) {
                bestPrefix = n;
                byPrefix = d.name();
            }
        }
        return byPrefix != null && bestPrefix >= 8 && bestPrefix * 10 >= k.length() * 7
                ? "; did you mean '" + byPrefix + "'?" : "";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
