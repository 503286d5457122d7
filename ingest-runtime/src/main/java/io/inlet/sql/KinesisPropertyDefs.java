package io.inlet.sql;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.inlet.sql.PropertyDef.Type;

/**
 * The keys of {@code FROM KINESIS (...)}, named as Apache Doris names them (its Routine Load reads Kinesis since
 * PR #61325), so that a Doris statement parses unchanged: {@code aws.region}, {@code kinesis_stream} (a name or
 * a stream ARN), {@code kinesis_shards}, {@code kinesis_shards_pos}, {@code property.kinesis_default_pos}, the
 * {@code aws.*} credentials of MSK IAM with {@code aws.session_key}, {@code aws.endpoint}, and {@code property.*}
 * client settings. Inlet's earlier names and Doris' other spellings are aliases ({@link #ALIASES}); a statement
 * gives a key under one name only.
 */
public final class KinesisPropertyDefs {
    private KinesisPropertyDefs() {
    }

    public static final String REGION = "aws.region";
    public static final String STREAM = "kinesis_stream";
    public static final String SHARDS = "kinesis_shards";
    public static final String POSITIONS = "kinesis_shards_pos";
    public static final String DEFAULT_POSITION = "property.kinesis_default_pos";
    public static final String ENDPOINT = "aws.endpoint";
    public static final String SESSION_KEY = "aws.session_key";
    public static final String ROLE_ARN = "aws.role_arn";
    public static final String EXTERNAL_ID = "aws.external_id";
    public static final String PROFILE_NAME = "aws.profile_name";
    public static final String STS_ENDPOINT = "aws.sts.endpoint";

    public static final String TRIM_HORIZON = "TRIM_HORIZON";
    public static final String LATEST = "LATEST";

    /** Alias → the key it stands for: Inlet's first names, Doris' dotted AWS keys and legacy endpoint key. */
    public static final Map<String, String> ALIASES = aliases();

    private static Map<String, String> aliases() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kinesis_positions", POSITIONS);
        m.put("kinesis_default_position", DEFAULT_POSITION);
        m.put("aws.kinesis_stream", STREAM); // as the quick start of Doris' Kinesis page writes it
        m.put("kinesis_endpoint", ENDPOINT);
        m.put("aws.external.id", EXTERNAL_ID);
        m.put("aws.profile.name", PROFILE_NAME);
        return Map.copyOf(m);
    }

    private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern STREAM_ARN = Pattern.compile(
            "arn:aws[a-z-]*:kinesis:([a-z]{2}(?:-[a-z]+)+-\\d+):(\\d{12}):stream/([A-Za-z0-9_.-]{1,128})");
    private static final Pattern SHARD_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern SEQUENCE_NUMBER = Pattern.compile("\\d{1,128}");

    static final PropertyDef.Validator STREAM_VALUE = v -> {
        String t = v.trim();
        if (t.startsWith("arn:")) {
            return STREAM_ARN.matcher(t).matches() ? null
                    : "expected a stream ARN such as arn:aws:kinesis:us-east-1:123456789012:stream/clicks";
        }
        return STREAM_NAME.matcher(t).matches() ? null
                : "expected a stream name of 1 to 128 letters, digits, '_', '-' and '.', or a stream ARN";
    };

    static final PropertyDef.Validator SHARD_LIST = v -> {
        Set<String> seen = new HashSet<>();
        for (String s : v.split(",", -1)) {
            String t = s.trim();
            if (!SHARD_ID.matcher(t).matches() || !seen.add(t)) {
                return "expected a comma-separated list of distinct shard ids such as shardId-000000000000";
            }
        }
        return null;
    };

    static final PropertyDef.Validator POSITION_LIST = v -> {
        for (String s : v.split(",", -1)) {
            if (!isPosition(s.trim())) {
                return "expected comma-separated positions, each TRIM_HORIZON, LATEST, a sequence number "
                        + "or a time 'yyyy-MM-dd HH:mm:ss'";
            }
        }
        return null;
    };

    static final PropertyDef.Validator DEFAULT_POSITION_VALUE = v -> {
        String t = v.trim();
        if (SEQUENCE_NUMBER.matcher(t).matches()) {
            return "expected TRIM_HORIZON, LATEST or a time 'yyyy-MM-dd HH:mm:ss': a sequence number belongs to "
                    + "one shard, give it in kinesis_shards_pos";
        }
        return isPosition(t) ? null : "expected TRIM_HORIZON, LATEST or a time 'yyyy-MM-dd HH:mm:ss'";
    };

    private static final List<PropertyDef> OWN = List.of(
            new PropertyDef(STREAM, Type.STRING, null, "Stream name or stream ARN (required).", STREAM_VALUE, true),
            new PropertyDef(SHARDS, Type.LIST, null, "Shards to read (default: all, and those born later).",
                    SHARD_LIST, true),
            new PropertyDef(POSITIONS, Type.LIST, null,
                    "Starting position per shard of kinesis_shards: TRIM_HORIZON, LATEST, a sequence number (read "
                            + "at it) or a time 'yyyy-MM-dd HH:mm:ss' (AT_TIMESTAMP, in the job's timezone).",
                    POSITION_LIST, true),
            new PropertyDef(DEFAULT_POSITION, Type.STRING, LATEST,
                    "Starting position of shards without one: TRIM_HORIZON, LATEST or a time 'yyyy-MM-dd HH:mm:ss' "
                            + "(AT_TIMESTAMP, an Inlet extension).", DEFAULT_POSITION_VALUE, true),
            new PropertyDef(ENDPOINT, Type.STRING, null,
                    "Kinesis endpoint override (a VPC endpoint; an emulator in tests).", KafkaPropertyDefs.URL, true),
            PropertyDef.string(SESSION_KEY, "AWS session token of temporary credentials, with aws.access_key "
                    + "(secret).", true),
            new PropertyDef(STS_ENDPOINT, Type.STRING, null, "Endpoint of AWS STS for aws.role_arn.",
                    KafkaPropertyDefs.URL, true));

    public static final List<PropertyDef> ALL = KafkaPropertyDefs.concat(
            KafkaPropertyDefs.concat(OWN, KafkaPropertyDefs.concat(KafkaPropertyDefs.AWS, aliasDefs())),
            List.of(new PropertyDef("property.*", Type.STRING, null, "A Kinesis client setting.", PropertyDef.ANY,
                    true)));

    private static List<PropertyDef> aliasDefs() {
        List<PropertyDef> base = KafkaPropertyDefs.concat(OWN, KafkaPropertyDefs.AWS);
        return ALIASES.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            PropertyDef target = PropertyDef.find(base, e.getValue()).orElseThrow();
            return new PropertyDef(e.getKey(), target.type(), null, "Alias of '" + target.name() + "'.",
                    target.validator(), target.alterable());
        }).toList();
    }

    /** The key a statement's key stands for: itself, or the key an alias names (lower case). */
    public static String canonical(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(k, k);
    }

    /** The property given for {@code key} under its own name or any alias. */
    static Optional<Property> findAny(PropertyList props, String key) {
        for (Property p : props.items()) {
            if (canonical(p.key()).equals(key)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static boolean isPosition(String v) {
        String u = v.toUpperCase(Locale.ROOT);
        if (u.equals(TRIM_HORIZON) || u.equals(LATEST)) {
            return true;
        }
        if (SEQUENCE_NUMBER.matcher(v).matches()) {
            return true;
        }
        return KafkaPropertyDefs.isOffsetTime(v);
    }

    /** The region of a stream ARN, or null for a stream name. */
    public static String arnRegion(String stream) {
        Matcher m = STREAM_ARN.matcher(stream.trim());
        return m.matches() ? m.group(1) : null;
    }

    /**
     * The checks across keys of FROM KINESIS: one name per key; for CREATE the stream, and the region unless the
     * stream is an ARN (whose region it must then match); one position per shard, not mixing times with other
     * positions; an external id only with a role, a session key only with an access key.
     */
    static void crossCheck(PropertyList props, boolean alter, int fromLine, int fromColumn) {
        Map<String, Property> seen = new LinkedHashMap<>();
        for (Property p : props.items()) {
            Property earlier = seen.put(canonical(p.key()), p);
            if (earlier != null) {
                throw PropertyValidation.at(p, "property '" + p.key() + "' gives '" + canonical(p.key())
                        + "' again, already given as '" + earlier.key() + "'; give it once");
            }
        }
        Optional<Property> stream = Optional.ofNullable(seen.get(STREAM));
        Optional<Property> region = Optional.ofNullable(seen.get(REGION));
        String arnRegion = stream.map(s -> arnRegion(s.value())).orElse(null);
        if (!alter && stream.isEmpty()) {
            throw new StatementException(fromLine, fromColumn, "FROM KINESIS needs 'kinesis_stream'");
        }
        if (region.isPresent() && arnRegion != null && !region.get().value().trim().equals(arnRegion)) {
            throw PropertyValidation.at(region.get(), "'aws.region' is " + region.get().value().trim()
                    + " but the stream ARN of 'kinesis_stream' is in " + arnRegion);
        }
        Property positions = seen.get(POSITIONS);
        Property shards = seen.get(SHARDS);
        if (positions != null) {
            if (shards == null) {
                throw PropertyValidation.at(positions, "property '" + positions.key()
                        + "' needs 'kinesis_shards': give one position per shard");
            }
            String[] items = positions.value().split(",", -1);
            int n = items.length;
            int ns = shards.value().split(",", -1).length;
            if (n != ns) {
                throw PropertyValidation.at(positions, "'" + positions.key() + "' has " + n
                        + (n == 1 ? " position" : " positions") + " but '" + shards.key() + "' lists " + ns
                        + (ns == 1 ? " shard" : " shards"));
            }
            long times = java.util.Arrays.stream(items).filter(i -> KafkaPropertyDefs.isOffsetTime(i.trim())).count();
            if (times > 0 && times < n) {
                throw PropertyValidation.at(positions, "'" + positions.key() + "' mixes times with TRIM_HORIZON/"
                        + "LATEST/sequence numbers; use one kind for all shards");
            }
        }
        if (seen.containsKey(EXTERNAL_ID) && !seen.containsKey(ROLE_ARN)) {
            Property p = seen.get(EXTERNAL_ID);
            throw PropertyValidation.at(p, "property '" + p.key() + "' needs 'aws.role_arn' as well");
        }
        if (seen.containsKey(SESSION_KEY) && !seen.containsKey("aws.access_key")) {
            Property p = seen.get(SESSION_KEY);
            throw PropertyValidation.at(p, "property '" + p.key() + "' needs 'aws.access_key' and "
                    + "'aws.secret_key' as well");
        }
        if (!alter && region.isEmpty() && arnRegion == null) {
            throw new StatementException(fromLine, fromColumn,
                    "FROM KINESIS needs 'aws.region' (or a stream ARN in 'kinesis_stream')");
        }
    }

    /**
     * A job's FROM KINESIS properties with an ALTER's applied, aliases resolved: a changed key replaces the old
     * one whatever name either used; new shards without positions drop the old positions.
     */
    static PropertyList merge(PropertyList current, PropertyList changes) {
        boolean newShardsOnly = findAny(changes, SHARDS).isPresent() && findAny(changes, POSITIONS).isEmpty();
        List<Property> out = new java.util.ArrayList<>();
        for (Property p : current.items()) {
            String k = canonical(p.key());
            if (!(newShardsOnly && k.equals(POSITIONS))) {
                out.add(findAny(changes, k).orElse(p));
            }
        }
        for (Property c : changes.items()) {
            if (findAny(current, canonical(c.key())).isEmpty()) {
                out.add(c);
            }
        }
        return new PropertyList(out);
    }

    public static Optional<PropertyDef> find(String key) {
        return PropertyDef.find(ALL, key);
    }

    public static String knownNames() {
        return PropertyDef.describeAll(ALL);
    }

    public static String alterableNames() {
        return PropertyDef.describeAlterable(ALL);
    }
}
