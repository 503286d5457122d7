package io.inlet.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.inlet.sql.PropertyDef.Type;

/**
 * The keys of {@code FROM KINESIS (...)} (an Inlet extension in the shape of FROM KAFKA): the stream, optional
 * shards with a starting position each, the default position, the {@code aws.*} keys and {@code property.*}
 * client overrides.
 */
public final class KinesisPropertyDefs {
    private KinesisPropertyDefs() {
    }

    public static final String STREAM = "kinesis_stream";
    public static final String SHARDS = "kinesis_shards";
    public static final String POSITIONS = "kinesis_positions";
    public static final String DEFAULT_POSITION = "kinesis_default_position";

    public static final String TRIM_HORIZON = "TRIM_HORIZON";
    public static final String LATEST = "LATEST";

    static final PropertyDef.Validator SHARD_LIST = v -> {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String s : v.split(",", -1)) {
            if (s.trim().isEmpty() || !seen.add(s.trim())) {
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

    public static final List<PropertyDef> ALL = KafkaPropertyDefs.concat(List.of(
            PropertyDef.string(STREAM, "Stream name or ARN (required).", false),
            new PropertyDef(SHARDS, Type.LIST, null, "Shards to read (default: all).", SHARD_LIST, true),
            new PropertyDef(POSITIONS, Type.LIST, null,
                    "Starting position per shard of kinesis_shards: TRIM_HORIZON, LATEST, a sequence number or "
                            + "a time 'yyyy-MM-dd HH:mm:ss'.", POSITION_LIST, true),
            new PropertyDef(DEFAULT_POSITION, Type.STRING, LATEST,
                    "Starting position of shards without one: TRIM_HORIZON, LATEST or a time.",
                    v -> isPosition(v.trim()) && !v.trim().chars().allMatch(Character::isDigit) ? null
                            : "expected TRIM_HORIZON, LATEST or a time 'yyyy-MM-dd HH:mm:ss'", true),
            new PropertyDef("aws.endpoint", Type.STRING, null, "Endpoint override (e.g. LocalStack).",
                    KafkaPropertyDefs.URL, true),
            new PropertyDef("property.*", Type.STRING, null, "A Kinesis client setting.", PropertyDef.ANY,
                    true)), KafkaPropertyDefs.AWS);

    public static boolean isPosition(String v) {
        String u = v.toUpperCase(Locale.ROOT);
        if (u.equals(TRIM_HORIZON) || u.equals(LATEST)) {
            return true;
        }
        if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
            return true;
        }
        return KafkaPropertyDefs.isOffsetTime(v);
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
