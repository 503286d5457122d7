package io.inlet.bench;

import io.inlet.source.kinesis.KinesisEmulator;
import io.inlet.source.kinesis.KinesisShardReader;
import io.inlet.source.kinesis.ReaderSettings;
import io.inlet.source.kinesis.ShardPosition;
import io.inlet.source.kinesis.StreamRef;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The references read the whole stream from TRIM_HORIZON in the benchmark's JVM, with a client built as
 * {@code KinesisConnection} builds the service's (the SDK's default HTTP client and retries, static credentials,
 * the endpoint override; JSON rather than CBOR, set for the JVM): the bare reader, and Inlet's shard reader alone.
 */
final class KinesisReaders {

    private static final Duration LIMIT = Duration.ofMinutes(5);

    private KinesisReaders() {
    }

    static KinesisClient client(URI endpoint) {
        return KinesisClient.builder().region(KinesisEmulator.REGION).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    /**
     * A plain GetRecords loop per shard, a thread each, 10,000 records a call and no pause between calls: the
     * emulator's own rate. Each thread stops at its shard's share of the records ({@link StockStream} puts record i
     * into shard i mod shards). The CPU is the reading threads' own.
     */
    static KinesisResult bare(URI endpoint, StockStream.Filled stream) throws Exception {
        List<String> shards = stream.shardIds();
        ExecutorService threads = Executors.newFixedThreadPool(shards.size());
        try (KinesisClient kinesis = client(endpoint)) {
            long start = System.nanoTime();
            List<Future<Long>> cpu = new ArrayList<>();
            for (int s = 0; s < shards.size(); s++) {
                long share = stream.records() / shards.size() + (s < stream.records() % shards.size() ? 1 : 0);
                String shard = shards.get(s);
                cpu.add(threads.submit(() -> readShard(kinesis, stream.stream(), shard, share, start)));
            }
            long cpuNanos = 0;
            for (Future<Long> f : cpu) {
                cpuNanos += f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return KinesisResult.reference("bare GetRecords reader (" + shards.size() + " threads)", stream, seconds,
                    cpuNanos / 1e9);
        } finally {
            threads.shutdownNow();
        }
    }

    private static long readShard(KinesisClient kinesis, String stream, String shard, long share, long start) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        long read = 0;
        long deadline = start + LIMIT.toNanos();
        while (read < share) {
            if (System.nanoTime() > deadline || iterator == null) {
                throw new IllegalStateException(shard + ": " + read + " of " + share + " records read");
            }
            String from = iterator;
            GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(from).limit(10_000));
            read += r.records().size();
            iterator = r.nextShardIterator();
        }
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /**
     * Inlet's {@link KinesisShardReader} alone, as a job's lane drives it (one thread polls every shard) with the
     * job's settings (AWS's pacing: 5 calls and 2 MB a second per shard): no decoding, no warehouse.
     */
    static KinesisResult stage(URI endpoint, StockStream.Filled stream) {
        try (KinesisClient kinesis = client(endpoint)) {
            long cpuAtStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long start = System.nanoTime();
            KinesisShardReader reader = new KinesisShardReader(kinesis, StreamRef.of(stream.stream()),
                    ReaderSettings.defaults());
            reader.assignAll(ShardPosition.trimHorizon(), Map.of());
            long read = 0;
            while (read < stream.records()) {
                if (System.nanoTime() - start > LIMIT.toNanos()) {
                    throw new IllegalStateException("the shard reader read " + read + " of " + stream.records());
                }
                read += reader.poll(10_000, Duration.ofMillis(500)).size();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtStart) / 1e9;
            return KinesisResult.reference("Inlet's shard reader alone (1 thread)", stream, seconds, cpu);
        }
    }
}
