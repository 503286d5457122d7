package io.inlet.source.kinesis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.inlet.source.kinesis.ReaderTestSupport.FAST;
import static io.inlet.source.kinesis.ReaderTestSupport.assertEachOnce;
import static io.inlet.source.kinesis.ReaderTestSupport.assertOrderedWithinShards;
import static io.inlet.source.kinesis.ReaderTestSupport.read;
import static io.inlet.source.kinesis.ReaderTestSupport.readUntil;
import static io.inlet.source.kinesis.ReaderTestSupport.readingAll;
import static io.inlet.source.kinesis.ReaderTestSupport.texts;

/**
 * The shard reader against moto's Kinesis: positions, throttling, expired iterators and errors (reshards:
 * {@link KinesisReshardTest}). Every wait is on an observable state (records received, stream ACTIVE); the time
 * limits only stop a broken test from hanging.
 */
class KinesisShardReaderTest {
    private static KinesisEmulator moto;
    private static KinesisClient admin;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = KinesisEmulator.startMoto();
        admin = moto.kinesis();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static String newStream(int shards) throws InterruptedException {
        return ReaderTestSupport.newStream(admin, shards);
    }

    private static List<PutRecordResponse> put(String stream, String prefix, int n) {
        return ReaderTestSupport.put(admin, stream, prefix, n);
    }

    // ------------------------------------------------------------------------------------ positions

    @Test
    void readsAFourShardStreamFromTrimHorizon() throws Exception {
        String stream = newStream(4);
        put(stream, "a", 200);
        KinesisShardReader reader = readingAll(admin, stream, FAST, ShardPosition.trimHorizon());
        assertThat(reader.ownedShards()).hasSize(4);

        List<KinesisRecord> got = read(reader, 200);
        assertEachOnce(got, texts("a", 200));
        assertOrderedWithinShards(got);
        assertThat(got.stream().map(KinesisRecord::shardId).distinct()).hasSize(4);
        KinesisRecord first = got.get(0);
        assertThat(first.partitionKey()).startsWith("k-a");
        assertThat(first.arrivalTimestamp()).isNotNull();
        assertThat(reader.lag()).hasSize(4).allSatisfy(l -> {
            assertThat(l.millisBehindLatest()).isNotNull();
            assertThat(l.state()).isEqualTo(ShardLag.ShardState.READING);
        });
        assertThat(reader.positions().values()).allSatisfy(p ->
                assertThat(p.kind()).isEqualTo(ShardPosition.Kind.AFTER_SEQUENCE_NUMBER));
        assertThat(reader.poll(50, Duration.ofMillis(50))).isEmpty();
    }

    @Test
    void startsAtASequenceNumberAndResumesAfterTheLastHandedOut() throws Exception {
        String stream = newStream(1);
        List<PutRecordResponse> puts = put(stream, "b", 10);
        String shard = puts.get(0).shardId();
        KinesisShardReader reader = new KinesisShardReader(admin, StreamRef.of(stream), FAST);
        reader.assign(Map.of(shard, ShardPosition.atSequence(puts.get(3).sequenceNumber())));
        List<KinesisRecord> got = read(reader, 7);
        assertThat(got).extracting(ReaderTestSupport::text)
                .containsExactly("b-3", "b-4", "b-5", "b-6", "b-7", "b-8", "b-9");

        // a job that committed after b-5 resumes after it, in a new reader
        KinesisShardReader again = new KinesisShardReader(admin, StreamRef.of(stream), FAST);
        again.assign(Map.of(shard, ShardPosition.parse(ShardPosition.afterSequence(puts.get(5).sequenceNumber())
                .toString(), ZoneOffset.UTC)));
        assertThat(read(again, 4)).extracting(ReaderTestSupport::text)
                .containsExactly("b-6", "b-7", "b-8", "b-9");
    }

    @Test
    void latestSkipsWhatWasThereAndReadsWhatComes() throws Exception {
        String stream = newStream(2);
        put(stream, "old", 10);
        KinesisShardReader reader = readingAll(admin, stream, FAST, ShardPosition.latest());
        assertThat(reader.poll(50, Duration.ofMillis(100))).isEmpty(); // takes the LATEST iterators
        put(stream, "new", 10);
        List<KinesisRecord> got = read(reader, 10);
        assertEachOnce(got, texts("new", 10));
    }

    @Test
    void lagAndPositionsMayBeAskedFromAnotherThreadWhilePolling() throws Exception {
        String stream = newStream(2);
        put(stream, "p", 100);
        KinesisShardReader reader = readingAll(admin, stream, FAST.withMaxRecordsPerCall(5),
                ShardPosition.trimHorizon());
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService show = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> asked = show.submit(() -> {
                int n = 0;
                while (!done.get()) {
                    assertThat(reader.lag()).hasSize(2);
                    assertThat(reader.positions()).hasSize(2);
                    n++;
                    Thread.yield();
                }
                return n;
            });
            List<KinesisRecord> got = read(reader, 100);
            done.set(true);
            assertThat(asked.get()).isPositive();
            assertEachOnce(got, texts("p", 100));
        } finally {
            show.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------ faults

    @Test
    void throttlingBacksOffAndLosesNothing() throws Exception {
        String stream = newStream(2);
        put(stream, "t", 60);
        FaultInjector faults = new FaultInjector()
                .fail("GetRecords", Set.of(2, 3, 4, 5, 6, 9), "ProvisionedThroughputExceededException")
                .fail("GetShardIterator", Set.of(1), "LimitExceededException");
        try (KinesisClient k = moto.kinesis(faults)) {
            KinesisShardReader reader = readingAll(k, stream, FAST.withMaxRecordsPerCall(7),
                    ShardPosition.trimHorizon());
            List<KinesisRecord> got = read(reader, 60);
            assertEachOnce(got, texts("t", 60));
            assertOrderedWithinShards(got);
            assertThat(faults.injected()).isEqualTo(7);
            assertThat(reader.throttledCalls()).isEqualTo(7);
        }
    }

    @Test
    void anExpiredIteratorIsRenewedAfterTheLastRecordHandedOutWithoutDuplicates() throws Exception {
        String stream = newStream(1);
        put(stream, "e", 50);
        FaultInjector faults = new FaultInjector().fail("GetRecords", Set.of(3, 5, 6), "ExpiredIteratorException");
        try (KinesisClient k = moto.kinesis(faults)) {
            KinesisShardReader reader = readingAll(k, stream, FAST.withMaxRecordsPerCall(6),
                    ShardPosition.trimHorizon());
            List<KinesisRecord> got = read(reader, 50);
            assertEachOnce(got, texts("e", 50));
            assertThat(got).extracting(ReaderTestSupport::text).startsWith("e-0", "e-1", "e-2");
            assertOrderedWithinShards(got);
            assertThat(reader.renewedIterators()).isEqualTo(3);
            assertThat(faults.calls("GetShardIterator")).isEqualTo(4); // the first, and one per expiry
        }
    }

    @Test
    void aMissingStreamFailsNamingIt() {
        KinesisShardReader reader = new KinesisShardReader(admin, StreamRef.of("no-such-stream"), FAST);
        assertThatThrownBy(() -> reader.assignAll(ShardPosition.trimHorizon(), Map.of()))
                .isInstanceOfSatisfying(KinesisSourceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KinesisSourceException.Reason.STREAM_NOT_FOUND);
                    assertThat(e.getMessage()).contains("'no-such-stream'", "us-east-1", "does not exist");
                });
        KinesisShardReader byArn = new KinesisShardReader(admin,
                StreamRef.of("arn:aws:kinesis:us-east-1:123456789012:stream/gone"), FAST);
        assertThatThrownBy(() -> byArn.assign(Map.of("shardId-000000000000", ShardPosition.latest())))
                .isInstanceOfSatisfying(KinesisSourceException.class, e ->
                        assertThat(e.getMessage()).contains("'gone'", "stream/gone"));
    }

    @Test
    void aShardTheStreamDoesNotHaveFailsNamingIt() throws Exception {
        String stream = newStream(1);
        KinesisShardReader reader = new KinesisShardReader(admin, StreamRef.of(stream), FAST);
        assertThatThrownBy(() -> reader.assign(Map.of("shardId-000000000099", ShardPosition.trimHorizon())))
                .isInstanceOfSatisfying(KinesisSourceException.class, e -> assertThat(e.getMessage())
                        .contains("shard shardId-000000000099 is not a shard of Kinesis stream '" + stream + "'",
                                "shardId-000000000000"));
    }

    @Test
    void aStreamDeletedWhileReadingFailsNamingIt() throws Exception {
        String stream = newStream(1);
        put(stream, "d", 3);
        KinesisShardReader reader = readingAll(admin, stream, FAST, ShardPosition.trimHorizon());
        read(reader, 3);
        admin.deleteStream(b -> b.streamName(stream));
        assertThatThrownBy(() -> readUntil(reader, new ArrayList<>(), l -> false))
                .isInstanceOfSatisfying(KinesisSourceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KinesisSourceException.Reason.STREAM_NOT_FOUND);
                    assertThat(e.getMessage()).contains("'" + stream + "'");
                });
    }

    @Test
    void credentialsWithoutRightsFailNamingTheStream() throws Exception {
        String stream = newStream(1);
        put(stream, "x", 3);
        FaultInjector faults = new FaultInjector().fail("GetRecords", Set.of(1), "AccessDeniedException");
        try (KinesisClient k = moto.kinesis(faults)) {
            KinesisShardReader reader = readingAll(k, stream, FAST, ShardPosition.trimHorizon());
            assertThatThrownBy(() -> reader.poll(10, Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(KinesisSourceException.class, e -> {
                        assertThat(e.reason()).isEqualTo(KinesisSourceException.Reason.ACCESS_DENIED);
                        assertThat(e.getMessage()).contains("'" + stream + "'", "AccessDeniedException");
                    });
        }
        FaultInjector listDenied = new FaultInjector().fail("ListShards", Set.of(1), "AccessDeniedException");
        try (KinesisClient k = moto.kinesis(listDenied)) {
            assertThatThrownBy(() -> new KinesisShardReader(k, StreamRef.of(stream), FAST).assign(Map.of()))
                    .isInstanceOfSatisfying(KinesisSourceException.class, e ->
                            assertThat(e.reason()).isEqualTo(KinesisSourceException.Reason.ACCESS_DENIED));
        }
    }
}
