package io.inlet.source.kinesis;

import java.time.Duration;

/**
 * How {@link KinesisShardReader} paces itself. Kinesis allows 5 GetRecords calls and 2 MB a second per shard:
 * a shard is fetched again no sooner than {@code minFetchInterval} after a call, later when the last call
 * brought many bytes (at {@code bytesPerSecondPerShard}), and {@code idleFetchInterval} after an empty answer
 * at the stream's tip. A throttled call backs off from {@code backoffBase}, doubling up to {@code backoffMax}.
 * New shards (splits, merges) are looked for every {@code discoveryInterval} and whenever a shard ends.
 */
public record ReaderSettings(int maxRecordsPerCall, Duration minFetchInterval, Duration idleFetchInterval,
                             long bytesPerSecondPerShard, Duration backoffBase, Duration backoffMax,
                             Duration discoveryInterval, int listShardsPageSize) {

    public ReaderSettings {
        if (maxRecordsPerCall < 1 || maxRecordsPerCall > 10_000) {
            throw new IllegalArgumentException("GetRecords takes 1 to 10000 records a call, not " + maxRecordsPerCall);
        }
        if (bytesPerSecondPerShard < 1) {
            throw new IllegalArgumentException("bytesPerSecondPerShard must be positive");
        }
    }

    /** The limits of AWS: 200 ms between calls (5 a second), 2 MB/s, 1 s when idle, new shards every 30 s. */
    public static ReaderSettings defaults() {
        return new ReaderSettings(10_000, Duration.ofMillis(200), Duration.ofSeconds(1), 2L * 1024 * 1024,
                Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofSeconds(30), 1000);
    }

    public ReaderSettings withMaxRecordsPerCall(int n) {
        return new ReaderSettings(n, minFetchInterval, idleFetchInterval, bytesPerSecondPerShard, backoffBase,
                backoffMax, discoveryInterval, listShardsPageSize);
    }

    public ReaderSettings withFetchIntervals(Duration min, Duration idle) {
        return new ReaderSettings(maxRecordsPerCall, min, idle, bytesPerSecondPerShard, backoffBase, backoffMax,
                discoveryInterval, listShardsPageSize);
    }

    public ReaderSettings withBackoff(Duration base, Duration max) {
        return new ReaderSettings(maxRecordsPerCall, minFetchInterval, idleFetchInterval, bytesPerSecondPerShard,
                base, max, discoveryInterval, listShardsPageSize);
    }

    public ReaderSettings withDiscoveryInterval(Duration d) {
        return new ReaderSettings(maxRecordsPerCall, minFetchInterval, idleFetchInterval, bytesPerSecondPerShard,
                backoffBase, backoffMax, d, listShardsPageSize);
    }

    public ReaderSettings withListShardsPageSize(int n) {
        return new ReaderSettings(maxRecordsPerCall, minFetchInterval, idleFetchInterval, bytesPerSecondPerShard,
                backoffBase, backoffMax, discoveryInterval, n);
    }

    /** The wait after the {@code failures}-th throttled call in a row: base · 2^(failures-1), at most max. */
    Duration backoff(int failures) {
        long ms = backoffBase.toMillis() << Math.min(20, Math.max(0, failures - 1));
        return Duration.ofMillis(Math.min(ms, backoffMax.toMillis()));
    }
}
