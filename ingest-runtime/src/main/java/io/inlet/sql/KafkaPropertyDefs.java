package io.inlet.sql;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.inlet.schemaregistry.RegistryEndpoint;

import static io.inlet.sql.PropertyDef.Type;

/**
 * The keys of {@code FROM KAFKA (...)}: the StarRocks/Doris Kafka keys, {@code property.*} (any Kafka client
 * setting, librdkafka names as documented by StarRocks/Doris), the Doris AWS MSK IAM keys ({@code aws.*}) and
 * StarRocks' {@code confluent.schema.registry.url}. Also decides which values are secrets.
 */
public final class KafkaPropertyDefs {
    private KafkaPropertyDefs() {
    }

    public static final String BROKER_LIST = "kafka_broker_list";
    public static final String TOPIC = "kafka_topic";
    public static final String PARTITIONS = "kafka_partitions";
    public static final String OFFSETS = "kafka_offsets";
    public static final String DEFAULT_OFFSETS = "property.kafka_default_offsets";
    public static final String MSK_CLUSTER_ARN = "aws.msk.cluster_arn";
    public static final String SCHEMA_REGISTRY_URL = "confluent.schema.registry.url";
    public static final String SCHEMA_REGISTRY_USER_INFO = "confluent.schema.registry.basic.auth.user.info";
    public static final String STS_ENDPOINT = "aws.sts.endpoint";
    public static final String MSK_ENDPOINT = "aws.msk.endpoint";

    public static final String OFFSET_BEGINNING = "OFFSET_BEGINNING";
    public static final String OFFSET_END = "OFFSET_END";

    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    private static final DateTimeFormatter DATETIME_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

    static final PropertyDef.Validator BROKERS = v -> {
        if (v.trim().isEmpty()) {
            return "expected host:port[,host:port...]";
        }
        for (String b : v.split(",", -1)) {
            if (b.trim().isEmpty()) {
                return "expected host:port[,host:port...] without empty entries";
            }
        }
        return null;
    };

    static final PropertyDef.Validator PARTITION_LIST = v -> parsePartitions(v) == null
            ? "expected a comma-separated list of distinct partition numbers such as 0,1,2" : null;

    static final PropertyDef.Validator OFFSET_LIST = v -> {
        String[] items = v.split(",", -1);
        for (String item : items) {
            if (!isOffset(item.trim())) {
                return "expected comma-separated offsets, each OFFSET_BEGINNING, OFFSET_END, a number "
                        + "or a time 'yyyy-MM-dd HH:mm:ss'";
            }
        }
        return null;
    };

    static final PropertyDef.Validator DEFAULT_OFFSET = v -> isOffset(v.trim()) ? null
            : "expected OFFSET_BEGINNING, OFFSET_END, a number or a time 'yyyy-MM-dd HH:mm:ss'";

    static final PropertyDef.Validator ARN = v -> v.trim().startsWith("arn:") ? null
            : "expected an ARN such as arn:aws:iam::123456789012:role/MyRole";

    static final PropertyDef.Validator REGION = v -> v.trim().matches("[a-z]{2}(-[a-z]+)+-\\d+") ? null
            : "expected an AWS region such as us-east-1";

    static final PropertyDef.Validator URL = v -> v.trim().matches("(?i)https?://\\S+") ? null
            : "expected an http:// or https:// URL";

    static final PropertyDef.Validator REGISTRY_URL = v -> {
        if (!v.trim().matches("(?i)https?://\\S+")) {
            return "expected an http:// or https:// URL";
        }
        try {
            RegistryEndpoint.of(v, null);
            return null;
        } catch (IllegalArgumentException e) {
            return "expected http(s)://[user:secret@]host[:port][/path]: " + e.getMessage();
        }
    };

    static final PropertyDef.Validator USER_INFO = v -> v.indexOf(':') > 0 ? null : "expected user:secret";

    /** The schema registry of FROM KAFKA (...), or null when it names none. */
    public static RegistryEndpoint schemaRegistry(PropertyList source) {
        String url = source.get(SCHEMA_REGISTRY_URL, null);
        return url == null ? null : RegistryEndpoint.of(url, source.get(SCHEMA_REGISTRY_USER_INFO, null));
    }

    /** AWS keys shared with FROM KINESIS. */
    static final List<PropertyDef> AWS = List.of(
            new PropertyDef("aws.region", Type.STRING, null, "AWS region of the MSK cluster or stream.",
                    REGION, true),
            PropertyDef.string("aws.access_key", "AWS access key id (with aws.secret_key).", true),
            PropertyDef.string("aws.secret_key", "AWS secret access key (secret).", true),
            new PropertyDef("aws.role_arn", Type.STRING, null, "IAM role to assume.", ARN, true),
            PropertyDef.string("aws.external_id", "External id for AssumeRole.", true),
            PropertyDef.string("aws.profile_name", "Profile in ~/.aws/credentials.", true),
            PropertyDef.oneOf("aws.credentials_provider", "DEFAULT",
                    "Credentials source: DEFAULT, ENV, INSTANCE_PROFILE, CONTAINER, WEB_IDENTITY, "
                            + "SYSTEM_PROPERTIES or PROFILE.", true,
                    "DEFAULT", "ENV", "INSTANCE_PROFILE", "CONTAINER", "WEB_IDENTITY", "SYSTEM_PROPERTIES",
                    "PROFILE"));

    public static final List<PropertyDef> ALL = concat(List.of(
            new PropertyDef(BROKER_LIST, Type.LIST, null,
                    "Bootstrap brokers host:port,... (required unless aws.msk.cluster_arn is given).", BROKERS,
                    false),
            PropertyDef.string(TOPIC, "Topic to consume (required).", false),
            new PropertyDef(PARTITIONS, Type.LIST, null, "Partitions to consume (default: all).",
                    PARTITION_LIST, true),
            new PropertyDef(OFFSETS, Type.LIST, null,
                    "Starting offset per partition of kafka_partitions: OFFSET_BEGINNING, OFFSET_END, a number "
                            + "or a time 'yyyy-MM-dd HH:mm:ss'.", OFFSET_LIST, true),
            new PropertyDef("property.*", Type.STRING, null,
                    "A Kafka client setting, e.g. property.security.protocol, property.group.id, "
                            + "property.kafka_default_offsets.", PropertyDef.ANY, true),
            new PropertyDef(SCHEMA_REGISTRY_URL, Type.STRING, null,
                    "Confluent-API schema registry of format avro, http(s)://[user:secret@]host[:port][/path] "
                            + "(Confluent, Apicurio's /apis/ccompat/v7, ...); ALTER keeps it unless given.", REGISTRY_URL,
                    true),
            new PropertyDef(SCHEMA_REGISTRY_USER_INFO, Type.STRING, null,
                    "user:secret for the schema registry's basic auth (secret), instead of credentials in its URL.",
                    USER_INFO, true),
            new PropertyDef(MSK_CLUSTER_ARN, Type.STRING, null,
                    "Amazon MSK cluster ARN; Inlet looks the bootstrap brokers up (IAM).", ARN, false),
            new PropertyDef(STS_ENDPOINT, Type.STRING, null,
                    "Endpoint of AWS STS for aws.role_arn (a VPC endpoint; tests use a local one).", URL, true),
            new PropertyDef(MSK_ENDPOINT, Type.STRING, null,
                    "Endpoint of the Amazon MSK API for aws.msk.cluster_arn (a VPC endpoint; tests use a local one).",
                    URL, true)), AWS);

    /** Rules for the values of well-known {@code property.*} keys (key without the prefix, lower case). */
    static final Map<String, PropertyDef.Validator> CLIENT_VALUES = Map.of(
            "kafka_default_offsets", DEFAULT_OFFSET,
            "security.protocol", PropertyDef.oneOfValidator("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
            "sasl.mechanism", PropertyDef.oneOfValidator("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER",
                    "GSSAPI", "AWS_MSK_IAM"),
            "group.id", PropertyDef.NON_EMPTY,
            "kafka_partition_discovery", PropertyDef.BOOLEAN,
            "kafka_out_of_range_offsets", PropertyDef.oneOfValidator("PAUSE", "OFFSET_BEGINNING", "OFFSET_END"));

    static List<PropertyDef> concat(List<PropertyDef> a, List<PropertyDef> b) {
        java.util.ArrayList<PropertyDef> l = new java.util.ArrayList<>(a);
        l.addAll(b);
        return List.copyOf(l);
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

    // ------------------------------------------------------------------------------------ secrets

    private static final Set<String> SECRET_KEYS = Set.of("aws.secret_key", "aws.session_key", "sasl.jaas.config",
            "ssl.key.password", "ssl.keystore.key", "ssl.key.pem", "basic.auth.user.info", SCHEMA_REGISTRY_USER_INFO);

    /**
     * True when the key's value must never be shown: keys containing password, secret or token, and
     * aws.secret_key, aws.session_key (FROM KINESIS), sasl.jaas.config, ssl.key.password (with or without the
     * {@code property.} prefix) and confluent.schema.registry.basic.auth.user.info.
     */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.contains("password") || k.contains("secret") || k.contains("token")) {
            return true;
        }
        if (k.startsWith("property.")) {
            k = k.substring("property.".length());
        }
        return SECRET_KEYS.contains(k);
    }

    /** The value as it may be displayed: {@code ******} for secrets, URL credentials hidden. */
    public static String mask(String key, String value) {
        if (value == null) {
            return null;
        }
        if (isSecret(key)) {
            return "******";
        }
        if (key.toLowerCase(Locale.ROOT).endsWith("url")) {
            int scheme = value.indexOf("://");
            if (scheme > 0) {
                int hostStart = scheme + 3;
                int slash = value.indexOf('/', hostStart);
                int hostEnd = slash < 0 ? value.length() : slash;
                int at = hostEnd > hostStart ? value.lastIndexOf('@', hostEnd - 1) : -1;
                if (at >= hostStart) {
                    return value.substring(0, hostStart) + "******" + value.substring(at);
                }
            }
        }
        return value;
    }

    // ------------------------------------------------------------------------------------ offsets

    /** OFFSET_BEGINNING, OFFSET_END (any case), a non-negative number or 'yyyy-MM-dd HH:mm:ss'. */
    public static boolean isOffset(String v) {
        if (v.equalsIgnoreCase(OFFSET_BEGINNING) || v.equalsIgnoreCase(OFFSET_END)) {
            return true;
        }
        if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
            try {
                Long.parseLong(v);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return isOffsetTime(v);
    }

    public static boolean isOffsetTime(String v) {
        if (!DATETIME.matcher(v).matches()) {
            return false;
        }
        try {
            LocalDateTime.parse(v, DATETIME_FORMAT);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Normalises an offset item: trimmed, OFFSET_* in upper case. */
    static String normalizeOffset(String v) {
        String t = v.trim();
        return t.equalsIgnoreCase(OFFSET_BEGINNING) || t.equalsIgnoreCase(OFFSET_END)
                ? t.toUpperCase(Locale.ROOT) : t;
    }

    /** The partitions of a kafka_partitions value, or null when invalid. */
    static List<Integer> parsePartitions(String v) {
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (String item : v.split(",", -1)) {
            String t = item.trim();
            if (t.isEmpty() || !t.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int p;
            try {
                p = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                return null;
            }
            if (!seen.add(p)) {
                return null;
            }
            out.add(p);
        }
        return List.copyOf(out);
    }
}
