package io.inlet.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.inlet.sql.KafkaClientValidation;
import io.inlet.sql.KafkaPropertyDefs;
import io.inlet.sql.PropertyDef;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The configuration of {@code inlet run}: a YAML file (nested or dotted keys), each key
 * overridable by its environment variable, which is how ECS passes secrets.
 */
public final class RuntimeConfig {

    public static final ConfigKey<String> WAREHOUSE_TYPE = ConfigKey.string("warehouse.type",
            "jdbc (DuckDB, PostgreSQL), starrocks or doris", "jdbc")
            .validatedBy(v -> List.of("jdbc", "starrocks", "doris").contains(v), "one of jdbc, starrocks, doris");
    public static final ConfigKey<String> WAREHOUSE_URL = ConfigKey.string("warehouse.url",
            "JDBC URL of the warehouse: jdbc:duckdb:PATH or jdbc:postgresql://HOST:PORT/DB", null)
            .validatedBy(v -> v.startsWith("jdbc:duckdb:") || v.startsWith("jdbc:postgresql:"),
                    "a jdbc:duckdb:PATH or jdbc:postgresql://HOST:PORT/DB URL");
    public static final ConfigKey<String> WAREHOUSE_USER = ConfigKey.string("warehouse.user", "warehouse user", null);
    public static final ConfigKey<String> WAREHOUSE_PASSWORD = ConfigKey.secret("warehouse.password",
            "warehouse password (pass it as INLET_WAREHOUSE_PASSWORD)");
    public static final ConfigKey<String> WAREHOUSE_LOAD_URL = ConfigKey.string("warehouse.load-url",
            "StarRocks/Doris FE HTTP endpoints, comma-separated", null);
    public static final ConfigKey<String> WAREHOUSE_JDBC_URL = ConfigKey.string("warehouse.jdbc-url",
            "StarRocks/Doris MySQL-protocol JDBC URL, for table metadata", null);
    public static final ConfigKey<String> WAREHOUSE_DATABASE = ConfigKey.string("warehouse.database",
            "StarRocks/Doris database of job names written without one (the Flink connector's database-name)", "default")
            .validatedBy(v -> v.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*"), "a database name");
    public static final ConfigKey<Integer> WAREHOUSE_MAX_CONNECTIONS = ConfigKey.integer("warehouse.max-connections",
            "the most connections this runtime holds to the warehouse, shared by every job: JDBC, one for the catalog"
                    + " and the rest for batches; Stream Load, HTTP connections. Batches in flight at once: one fewer",
            10, 2, 1000);
    public static final ConfigKey<String> API_LISTEN = ConfigKey.string("api.listen",
            "host:port of the HTTP API", "127.0.0.1:8030")
            .validatedBy(v -> v.matches("[^:]+:\\d{1,5}"), "host:port");
    public static final ConfigKey<String> API_TOKEN = ConfigKey.secret("api.token",
            "bearer token that guards the HTTP API (pass it as INLET_API_TOKEN)");
    public static final ConfigKey<String> JOBS = ConfigKey.string("jobs",
            "a file of Routine Load statements applied at start, idempotently", null);
    public static final ConfigKey<Integer> MAX_TASKS_PER_JOB = ConfigKey.integer("runtime.max-tasks-per-job",
            "cap on the concurrent tasks of one job", 8, 1, 256);

    public static final ConfigKey<Integer> UNSTABLE_LAG = ConfigKey.integer("runtime.unstable-lag-messages",
            "a job whose total lag stays above this many messages and keeps growing is UNSTABLE (0: never)",
            1_000_000, 0, Integer.MAX_VALUE);
    public static final ConfigKey<Integer> AUTO_RESUME_MIN_SECONDS = ConfigKey.integer(
            "runtime.auto-resume-min-seconds", "first wait before a job paused by a transient fault resumes;"
                    + " it doubles with each attempt", 5, 1, 3600);
    public static final ConfigKey<Integer> AUTO_RESUME_MAX_SECONDS = ConfigKey.integer(
            "runtime.auto-resume-max-seconds", "longest wait between auto-resume attempts", 300, 1, 86400);
    public static final ConfigKey<Integer> MONITOR_INTERVAL_SECONDS = ConfigKey.integer(
            "runtime.monitor-interval-seconds", "how often each running job checks its broker and its lag", 5, 1, 3600);

    public static final ConfigKey<Integer> REST_AFTER_SECONDS = ConfigKey.integer("runtime.rest-after-seconds",
            "a running job whose partitions on this runtime bring no message for this long rests: it leaves its"
                    + " consumer group and one fetch the broker holds waits for its next message", 30, 1, 86400);

    public static final ConfigKey<String> CATALOG_KAFKA_BOOTSTRAP_SERVERS = ConfigKey.string(
            "catalog.kafka.bootstrap-servers", "Kafka brokers host:port,... of the job catalog topic, which keeps the"
                    + " jobs of starrocks and doris warehouses, and of the consumer groups in which replicas share the"
                    + " shards of FROM KINESIS jobs (without it each Kinesis job loads on one replica)", null)
            .validatedBy(v -> Stream.of(v.split(",", -1)).allMatch(b -> b.trim().matches("[^\\s:]+:\\d{1,5}")),
                    "host:port[,host:port...]");
    public static final ConfigKey<String> CATALOG_KAFKA_TOPIC = ConfigKey.string("catalog.kafka.topic",
            "compacted topic (one partition) of the job catalog; created when missing", "_inlet_jobs")
            .validatedBy(v -> v.matches("[a-zA-Z0-9._-]{1,249}") && !v.equals(".") && !v.equals(".."),
                    "a Kafka topic name of 1-249 characters from a-z A-Z 0-9 . _ -");
    /** The job catalog's Kafka client settings, named and checked as {@code property.*} of FROM KAFKA. */
    public static final ConfigPrefix CATALOG_KAFKA_PROPERTY = new ConfigPrefix("catalog.kafka.property.",
            "a Kafka client setting of the job catalog, as property.* of FROM KAFKA (a librdkafka name Inlet"
                    + " translates or a Java client setting)", kafkaClientNames(),
            name -> KafkaPropertyDefs.isSecret("property." + name));
    /** The job catalog's MSK IAM credentials and region, as {@code aws.*} of FROM KAFKA. */
    public static final ConfigPrefix CATALOG_KAFKA_AWS = new ConfigPrefix("catalog.kafka.aws.",
            "an MSK IAM setting of the job catalog, as aws.* of FROM KAFKA", awsNames(),
            name -> KafkaPropertyDefs.isSecret("aws." + name));

    public static final List<ConfigKey<?>> KEYS = List.of(WAREHOUSE_TYPE, WAREHOUSE_URL, WAREHOUSE_USER,
            WAREHOUSE_PASSWORD, WAREHOUSE_LOAD_URL, WAREHOUSE_JDBC_URL, WAREHOUSE_DATABASE, WAREHOUSE_MAX_CONNECTIONS, API_LISTEN, API_TOKEN, JOBS, MAX_TASKS_PER_JOB,
            UNSTABLE_LAG, AUTO_RESUME_MIN_SECONDS, AUTO_RESUME_MAX_SECONDS, MONITOR_INTERVAL_SECONDS,
            REST_AFTER_SECONDS, CATALOG_KAFKA_BOOTSTRAP_SERVERS, CATALOG_KAFKA_TOPIC);
    public static final List<ConfigPrefix> PREFIXES = List.of(CATALOG_KAFKA_PROPERTY, CATALOG_KAFKA_AWS);

    private final Map<String, String> values;
    private final Path baseDir;

    private RuntimeConfig(Map<String, String> values, Path baseDir) {
        this.values = values;
        this.baseDir = baseDir;
    }

    public static RuntimeConfig load(Path file, Map<String, String> env) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (file != null) {
            try {
                JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
                if (root != null) {
                    flatten("", root, raw);
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
            }
        }
        for (String key : raw.keySet()) {
            boolean known = KEYS.stream().anyMatch(k -> k.name().equals(key))
                    || PREFIXES.stream().anyMatch(p -> p.nameOf(key) != null);
            if (!known) {
                throw new ConfigException(unknownKey(key, file));
            }
        }
        for (ConfigKey<?> k : KEYS) {
            override(raw, k, env);
        }
        for (ConfigPrefix p : PREFIXES) {
            p.names().forEach(name -> override(raw, p.key(name), env));
        }
        RuntimeConfig config = new RuntimeConfig(raw, file == null ? Path.of(".") : file.toAbsolutePath().getParent());
        config.validate();
        return config;
    }

    public static RuntimeConfig of(Map<String, String> values) {
        RuntimeConfig config = new RuntimeConfig(new LinkedHashMap<>(values), Path.of("."));
        config.validate();
        return config;
    }

    private static void override(Map<String, String> raw, ConfigKey<?> k, Map<String, String> env) {
        String fromEnv = env.get(k.envVar());
        if (fromEnv != null && !fromEnv.isEmpty()) {
            raw.put(k.name(), fromEnv);
        }
    }

    private static String unknownKey(String key, Path file) {
        for (ConfigPrefix p : PREFIXES) {
            if (key.startsWith(p.prefix())) {
                return "unknown configuration key '" + key + "' in " + file + ": keys under " + p.prefix() + " name "
                        + p.doc();
            }
        }
        List<String> known = new ArrayList<>(KEYS.stream().map(ConfigKey::name).toList());
        PREFIXES.forEach(p -> known.add(p.prefix() + "*"));
        return "unknown configuration key '" + key + "' in " + file + "; known keys: " + known;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    private void validate() {
        for (ConfigKey<?> k : KEYS) {
            get(k);
        }
        PREFIXES.forEach(this::entries);
        String type = get(WAREHOUSE_TYPE);
        if ("jdbc".equals(type) && get(WAREHOUSE_URL) == null) {
            throw missing(WAREHOUSE_URL, null);
        }
        if (!"jdbc".equals(type) && get(CATALOG_KAFKA_BOOTSTRAP_SERVERS) == null) {
            throw missing(CATALOG_KAFKA_BOOTSTRAP_SERVERS, "warehouse.type " + type + " keeps the jobs in a Kafka topic");
        }
    }

    /** "{@code key} is missing: {@code because}; set it in the configuration file or as its variable (its doc)". */
    public static ConfigException missing(ConfigKey<?> key, String because) {
        return new ConfigException(key.name() + " is missing: " + (because == null ? "" : because + "; ")
                + "set it in the configuration file or as " + key.envVar() + " (" + key.doc() + ")");
    }

    /** The keys of a family that are set: name after the prefix → value, each checked as its own key. */
    public Map<String, String> entries(ConfigPrefix prefix) {
        Map<String, String> out = new TreeMap<>();
        for (String key : values.keySet()) {
            String name = prefix.nameOf(key);
            if (name != null) {
                out.put(name, get(prefix.key(name)));
            }
        }
        return out;
    }

    public <T> T get(ConfigKey<T> key) {
        String v = values.getOrDefault(key.name(), key.defaultValue());
        if (v == null) {
            if (key.required()) {
                throw new ConfigException(key.name() + " is missing (" + key.doc() + ")");
            }
            return null;
        }
        T parsed;
        try {
            parsed = key.parser().apply(v.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(key.name() + " is " + shown(key, v) + "; allowed: " + key.allowed());
        }
        if (!key.valid().test(parsed)) {
            throw new ConfigException(key.name() + " is " + shown(key, v) + "; allowed: " + key.allowed());
        }
        return parsed;
    }

    private static String shown(ConfigKey<?> key, String v) {
        return key.secret() ? "'******'" : "'" + v + "'";
    }

    /**
     * Java consumer settings and the librdkafka names FROM KAFKA translates, but the brokers (a key of their own) and
     * the group (the catalog reads without one).
     */
    private static Set<String> kafkaClientNames() {
        Set<String> names = new TreeSet<>(ConsumerConfig.configNames());
        names.addAll(KafkaClientValidation.LIBRDKAFKA_NAMES);
        names.addAll(KafkaClientValidation.LIBRDKAFKA_ALIASES.keySet());
        names.remove(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        names.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return names;
    }

    /** The aws.* keys of FROM KAFKA (without "aws."), but the cluster ARN's: the catalog names its brokers. */
    private static Set<String> awsNames() {
        Set<String> names = new TreeSet<>();
        for (PropertyDef def : KafkaPropertyDefs.ALL) {
            if (def.name().startsWith("aws.") && !def.name().equals(KafkaPropertyDefs.MSK_CLUSTER_ARN)
                    && !def.name().equals(KafkaPropertyDefs.MSK_ENDPOINT)) {
                names.add(def.name().substring("aws.".length()));
            }
        }
        return names;
    }

    /** A path from the configuration, relative to the configuration file's folder. */
    public Path path(ConfigKey<String> key) {
        String v = get(key);
        return v == null ? null : baseDir.resolve(v);
    }
}
