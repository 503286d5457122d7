package io.inlet.source.kinesis;

import io.inlet.sql.KinesisSourceProperties;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kinesis job's stream on this runtime: its client (from the statement), the shards a scheduling of the job
 * claims, and the {@link ShardLane} its task reads them through (started; the caller closes it). What Kafka's
 * {@code KafkaSource} and group member are to a topic, without a group: the job's positions live in its position
 * store, committed with the rows.
 */
public final class KinesisJobSource implements AutoCloseable {

    private final KinesisConnection connection;
    private final StartingPositions starts;
    private final ZoneId zone;
    private final ReaderSettings settings;

    public KinesisJobSource(KinesisConnection connection, StartingPositions starts, ZoneId zone,
                            ReaderSettings settings) {
        this.connection = connection;
        this.starts = starts;
        this.zone = zone;
        this.settings = settings;
    }

    /** The source of a FROM KINESIS statement; {@code sessionName} names an assumed role's session. */
    public static KinesisJobSource open(KinesisSourceProperties p, ZoneId zone, String sessionName) {
        return new KinesisJobSource(KinesisConnection.open(p, sessionName), StartingPositions.of(p, zone), zone,
                ReaderSettings.defaults());
    }

    public StreamRef stream() {
        return connection.stream();
    }

    /**
     * The shards a scheduling claims, as ListShards lists them now: every shard, or, when the statement names
     * shards, those and their descendants (children born of a split or merge since the statement). Throws
     * {@link KinesisSourceException} when the stream is missing or may not be read.
     */
    public List<String> shardsToClaim() {
        return shardLineage().stream().map(ShardInfo::shardId).toList();
    }

    /** {@link #shardsToClaim}, each with its parents and sequence number range (what the replicas share). */
    public List<ShardInfo> shardLineage() {
        List<ShardInfo> listed = list();
        if (starts.shards().isEmpty()) {
            return listed;
        }
        Set<String> mine = new LinkedHashSet<>(starts.shards().keySet());
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ShardInfo s : listed) {
                if (!mine.contains(s.shardId()) && s.parentIds().stream().anyMatch(mine::contains)) {
                    grew = mine.add(s.shardId());
                }
            }
        }
        List<ShardInfo> out = new ArrayList<>();
        for (String id : mine) {
            listed.stream().filter(s -> s.shardId().equals(id)).findFirst()
                    .ifPresentOrElse(out::add, () -> out.add(new ShardInfo(id, null, null, null, null)));
        }
        return out;
    }

    /**
     * A lane over {@code claimed}: each shard from its committed position ({@link ShardPosition#toString()}
     * form), else from the statement's position for it, else, a child of a claimed shard, from TRIM_HORIZON after
     * its parents, else from the default position. Claimed shards the stream no longer lists (past retention) are
     * left out.
     */
    public ShardLane open(Collection<String> claimed, Map<String, String> committed, String threadName) {
        Map<String, ShardInfo> listed = new LinkedHashMap<>();
        list().forEach(s -> listed.put(s.shardId(), s));
        Map<String, ShardPosition> at = new LinkedHashMap<>();
        for (String shard : claimed) {
            ShardInfo info = listed.get(shard);
            if (info != null) {
                at.put(shard, start(info, claimed, committed));
            }
        }
        KinesisShardReader reader = new KinesisShardReader(connection.client(), connection.stream(), settings);
        reader.assign(at);
        return new ShardLane(reader, connection.stream(), Set.copyOf(claimed), zone, threadName).start();
    }

    private ShardPosition start(ShardInfo shard, Collection<String> claimed, Map<String, String> committed) {
        String done = committed.get(shard.shardId());
        if (done != null) {
            return ShardPosition.parse(done, zone);
        }
        ShardPosition given = starts.shards().get(shard.shardId());
        if (given != null) {
            return given;
        }
        List<String> parents = new ArrayList<>(shard.parentIds());
        return parents.stream().anyMatch(p -> claimed.contains(p) || committed.containsKey(p))
                ? ShardPosition.trimHorizon() : starts.defaultPosition();
    }

    private List<ShardInfo> list() {
        return new ShardLister(connection.client(), connection.stream(), settings.listShardsPageSize()).listAll();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            // closing: the client holds nothing that outlives it
        }
    }
}
