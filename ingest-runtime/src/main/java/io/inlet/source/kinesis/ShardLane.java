package io.inlet.source.kinesis;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One task's reader of the shards its job claimed: hands out their records, says where each shard resumes
 * ({@link ShardPosition#toString()} form, what the task commits with its rows) and how far each is behind. Polled
 * from the task's thread; {@link #positions()} and {@link #lag()} may be asked from others (SHOW).
 */
public final class ShardLane {

    private final KinesisShardReader reader;
    private final StreamRef stream;
    private final Set<String> claimed;
    private final ZoneId zone;

    ShardLane(KinesisShardReader reader, StreamRef stream, Set<String> claimed, ZoneId zone) {
        this.reader = reader;
        this.stream = stream;
        this.claimed = claimed;
        this.zone = zone;
    }

    /** The shards this lane reads, as claimed. */
    public Set<String> shards() {
        return claimed;
    }

    /**
     * The next records, waiting up to {@code wait} for some. Throws {@link ShardsChangedException} once the reader
     * has picked up a shard the job did not claim (a reshard): the job claims again before anything of it loads.
     */
    public List<KinesisRecord> next(int maxRecords, Duration wait) {
        List<KinesisRecord> records = reader.poll(maxRecords, wait);
        Set<String> owned = reader.ownedShards();
        if (!claimed.containsAll(owned)) {
            Set<String> unclaimed = new HashSet<>(owned);
            unclaimed.removeAll(claimed);
            throw new ShardsChangedException(stream, unclaimed);
        }
        return records;
    }

    /** Where each shard resumes after the records handed out so far. */
    public Map<String, String> positions() {
        Map<String, String> out = new LinkedHashMap<>();
        reader.positions().forEach((shard, p) -> out.put(shard, p.toString()));
        return out;
    }

    /** MillisBehindLatest per shard as the last GetRecords answered (0 once a closed shard is read to its end). */
    public Map<String, Long> lag() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ShardLag l : reader.lag()) {
            if (l.millisBehindLatest() != null) {
                out.put(l.shardId(), l.millisBehindLatest());
            }
        }
        return out;
    }

    /** Reads again from {@code positions} (a failed batch is dropped; these are the committed ones). */
    public void rewind(Map<String, String> positions) {
        Map<String, ShardPosition> at = new LinkedHashMap<>();
        Set<String> listed = reader.ownedShards();
        positions.forEach((shard, p) -> {
            if (listed.contains(shard)) {
                at.put(shard, ShardPosition.parse(p, zone));
            }
        });
        reader.assign(at);
    }
}
