package io.inlet.source.kinesis;

import io.inlet.sql.KinesisSourceProperties;

import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a new job starts, from FROM KINESIS: the shards of {@code kinesis_shards} at their
 * {@code kinesis_shards_pos} (or the default), or, without shards, every shard at
 * {@code property.kinesis_default_pos}. Times are read in the job's timezone.
 */
public record StartingPositions(Map<String, ShardPosition> shards, ShardPosition defaultPosition) {

    public static StartingPositions of(KinesisSourceProperties p, ZoneId zone) {
        Map<String, ShardPosition> m = new LinkedHashMap<>();
        p.shardPositions().forEach((shard, text) -> m.put(shard, ShardPosition.parse(text, zone)));
        return new StartingPositions(Collections.unmodifiableMap(m), ShardPosition.parse(p.defaultPosition(), zone));
    }

    /** Hands these positions to a reader: the listed shards only, or every shard. */
    public void applyTo(KinesisShardReader reader) {
        if (shards.isEmpty()) {
            reader.assignAll(defaultPosition, Map.of());
        } else {
            reader.assign(shards);
        }
    }
}
