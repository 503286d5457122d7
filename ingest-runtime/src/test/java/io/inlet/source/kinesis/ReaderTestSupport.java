package io.inlet.source.kinesis;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** What the reader tests share: fast settings, writing numbered records, reading until a state, and checks. */
final class ReaderTestSupport {
    private ReaderTestSupport() {
    }

    private static final AtomicInteger STREAMS = new AtomicInteger();

    /** Emulators do not throttle: short fetch intervals, backoffs and discovery keep the tests quick. */
    static final ReaderSettings FAST = ReaderSettings.defaults()
            .withFetchIntervals(Duration.ofMillis(5), Duration.ofMillis(20))
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
            .withDiscoveryInterval(Duration.ofMillis(100));

    static String newStream(KinesisClient k, int shards) throws InterruptedException {
        String name = "s" + STREAMS.incrementAndGet();
        KinesisEmulator.createStream(k, name, shards);
        return name;
    }

    /** Puts {@code n} records "prefix-i" with partition keys "k-prefix-i", in order. */
    static List<PutRecordResponse> put(KinesisClient k, String stream, String prefix, int n) {
        List<PutRecordResponse> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int idx = i;
            out.add(k.putRecord(b -> b.streamName(stream).partitionKey("k-" + prefix + idx)
                    .data(SdkBytes.fromString(prefix + "-" + idx, StandardCharsets.UTF_8))));
        }
        return out;
    }

    /** A reader of every shard of {@code stream}, each from {@code from}. */
    static KinesisShardReader readingAll(KinesisClient k, String stream, ReaderSettings settings, ShardPosition from) {
        KinesisShardReader reader = new KinesisShardReader(k, StreamRef.of(stream), settings);
        reader.assignAll(from, Map.of());
        return reader;
    }

    /** Polls until at least {@code n} records were handed out; returns them. */
    static List<KinesisRecord> read(KinesisShardReader reader, int n) {
        return readUntil(reader, new ArrayList<>(), l -> l.size() >= n);
    }

    static String text(KinesisRecord r) {
        return new String(r.data(), StandardCharsets.UTF_8);
    }

    static Set<String> texts(String prefix, int n) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < n; i++) {
            s.add(prefix + "-" + i);
        }
        return s;
    }

    /** Polls until {@code done} holds for what was handed out; 60 s only stop a broken test from hanging. */
    static List<KinesisRecord> readUntil(KinesisShardReader reader, List<KinesisRecord> into,
                                         Predicate<List<KinesisRecord>> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.test(into)) {
            assertThat(System.nanoTime()).as("records handed out so far: %s; shards %s", into.size(), reader.lag())
                    .isLessThan(deadline);
            into.addAll(reader.poll(50, Duration.ofMillis(200)));
        }
        return into;
    }

    static void assertEachOnce(List<KinesisRecord> got, Set<String> expected) {
        List<String> all = got.stream().map(ReaderTestSupport::text).toList();
        assertThat(new HashSet<>(all)).as("no duplicates").hasSize(all.size());
        assertThat(new HashSet<>(all)).isEqualTo(expected);
    }

    static void assertOrderedWithinShards(List<KinesisRecord> got) {
        Map<String, BigInteger> last = new HashMap<>();
        for (KinesisRecord r : got) {
            BigInteger seq = new BigInteger(r.sequenceNumber());
            BigInteger prev = last.put(r.shardId(), seq);
            assertThat(prev == null || prev.compareTo(seq) < 0).as("order within %s", r.shardId()).isTrue();
        }
    }
}
