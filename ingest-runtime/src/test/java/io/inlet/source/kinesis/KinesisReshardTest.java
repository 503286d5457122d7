package io.inlet.source.kinesis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.inlet.source.kinesis.ReaderTestSupport.FAST;
import static io.inlet.source.kinesis.ReaderTestSupport.assertEachOnce;
import static io.inlet.source.kinesis.ReaderTestSupport.assertOrderedWithinShards;
import static io.inlet.source.kinesis.ReaderTestSupport.put;
import static io.inlet.source.kinesis.ReaderTestSupport.read;
import static io.inlet.source.kinesis.ReaderTestSupport.readUntil;
import static io.inlet.source.kinesis.ReaderTestSupport.readingAll;
import static io.inlet.source.kinesis.ReaderTestSupport.texts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Splits and merges while reading, on kinesalite: unlike moto, which keeps writing to a split shard, it sends
 * the records written after a reshard to the children, as Kinesis does, and ends a closed shard with a null
 * NextShardIterator.
 */
class KinesisReshardTest {
    private static KinesisEmulator kinesalite;
    private static KinesisClient k;

    @BeforeAll
    static void start() throws Exception {
        kinesalite = KinesisEmulator.startKinesalite();
        k = kinesalite.kinesis();
    }

    @AfterAll
    static void stop() throws Exception {
        if (k != null) {
            k.close();
        }
        if (kinesalite != null) {
            kinesalite.close();
        }
    }

    @Test
    void aSplitAndAMergeWhileReadingHandOutEveryRecordOnceParentsFirst() throws Exception {
        String stream = ReaderTestSupport.newStream(k, 2);
        put(k, stream, "a", 40);
        KinesisShardReader reader = readingAll(k, stream, FAST, ShardPosition.trimHorizon());
        List<KinesisRecord> got = readUntil(reader, new ArrayList<>(), l -> !l.isEmpty());

        Shard parent = k.listShards(b -> b.streamName(stream)).shards().get(0);
        BigInteger lo = new BigInteger(parent.hashKeyRange().startingHashKey());
        BigInteger hi = new BigInteger(parent.hashKeyRange().endingHashKey());
        k.splitShard(b -> b.streamName(stream).shardToSplit(parent.shardId())
                .newStartingHashKey(lo.add(hi).shiftRight(1).toString()));
        KinesisEmulator.awaitActive(k, stream);
        put(k, stream, "b", 40);
        readUntil(reader, got, l -> l.size() >= 60);

        List<Shard> children = k.listShards(b -> b.streamName(stream)).shards().stream()
                .filter(s -> parent.shardId().equals(s.parentShardId())).toList();
        assertThat(children).hasSize(2);
        k.mergeShards(b -> b.streamName(stream).shardToMerge(children.get(0).shardId())
                .adjacentShardToMerge(children.get(1).shardId()));
        KinesisEmulator.awaitActive(k, stream);
        put(k, stream, "c", 40);

        Set<String> expected = new HashSet<>(texts("a", 40));
        expected.addAll(texts("b", 40));
        expected.addAll(texts("c", 40));
        readUntil(reader, got, l -> l.size() >= 120);
        assertEachOnce(got, expected);
        assertOrderedWithinShards(got);

        List<Shard> shards = k.listShards(b -> b.streamName(stream)).shards();
        assertThat(shards).hasSize(5);
        Shard merged = shards.stream().filter(s -> s.adjacentParentShardId() != null).findFirst().orElseThrow();
        assertThat(got).extracting(KinesisRecord::shardId).contains(parent.shardId(), children.get(0).shardId(),
                children.get(1).shardId(), merged.shardId());
        for (Shard child : shards) {
            for (String p : new String[] {child.parentShardId(), child.adjacentParentShardId()}) {
                int lastOfParent = lastIndex(got, p);
                int firstOfChild = firstIndex(got, child.shardId());
                if (p != null && lastOfParent >= 0 && firstOfChild >= 0) {
                    assertThat(firstOfChild).as("%s after its parent %s", child.shardId(), p)
                            .isGreaterThan(lastOfParent);
                }
            }
        }
        readUntil(reader, got,
                l -> reader.positions().get(children.get(1).shardId()).kind() == ShardPosition.Kind.SHARD_END);
        assertThat(reader.lag()).filteredOn(l -> !l.shardId().equals(merged.shardId())
                        && !l.shardId().equals(shards.get(1).shardId()))
                .allSatisfy(l -> assertThat(l.state()).isEqualTo(ShardLag.ShardState.FINISHED));

        // a restart from the committed positions reads nothing twice, and what comes next
        Map<String, ShardPosition> committed = reader.positions();
        KinesisShardReader restarted = new KinesisShardReader(k, StreamRef.of(stream), FAST);
        restarted.assignAll(ShardPosition.trimHorizon(), committed);
        put(k, stream, "d", 20);
        List<KinesisRecord> after = read(restarted, 20);
        assertEachOnce(after, texts("d", 20));
    }

    @Test
    void childrenOfAShardSplitBeforeTheStartWaitForTheirParent() throws Exception {
        String stream = ReaderTestSupport.newStream(k, 1);
        put(k, stream, "a", 30);
        Shard parent = k.listShards(b -> b.streamName(stream)).shards().get(0);
        k.splitShard(b -> b.streamName(stream).shardToSplit(parent.shardId())
                .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()));
        KinesisEmulator.awaitActive(k, stream);
        put(k, stream, "b", 30);

        KinesisShardReader reader = readingAll(k, stream, FAST.withMaxRecordsPerCall(4), ShardPosition.trimHorizon());
        assertThat(reader.lag()).filteredOn(l -> !l.shardId().equals(parent.shardId()))
                .allSatisfy(l -> assertThat(l.state()).isEqualTo(ShardLag.ShardState.WAITING_FOR_PARENT));
        List<KinesisRecord> got = read(reader, 60);
        Set<String> expected = new HashSet<>(texts("a", 30));
        expected.addAll(texts("b", 30));
        assertEachOnce(got, expected);
        assertThat(got.subList(0, 30)).allSatisfy(r -> assertThat(r.shardId()).isEqualTo(parent.shardId()));
    }

    @Test
    void aRestartFromPositionsTakenBeforeASplitReadsTheRestOfTheParentAndAllOfItsChildren() throws Exception {
        String stream = ReaderTestSupport.newStream(k, 1);
        put(k, stream, "a", 10);
        KinesisShardReader before = readingAll(k, stream, FAST.withMaxRecordsPerCall(3), ShardPosition.trimHorizon());
        List<KinesisRecord> first = ReaderTestSupport.readUntil(before, new ArrayList<>(), l -> !l.isEmpty());
        Map<String, ShardPosition> committed = before.positions();

        Shard parent = k.listShards(b -> b.streamName(stream)).shards().get(0);
        k.splitShard(b -> b.streamName(stream).shardToSplit(parent.shardId())
                .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()));
        KinesisEmulator.awaitActive(k, stream);
        put(k, stream, "b", 10);

        // LATEST is the default, but the children of a shard with a committed position start at TRIM_HORIZON
        KinesisShardReader after = new KinesisShardReader(k, StreamRef.of(stream), FAST);
        after.assignAll(ShardPosition.latest(), committed);
        List<KinesisRecord> rest = read(after, 20 - first.size());
        Set<String> expected = new HashSet<>(texts("a", 10));
        expected.addAll(texts("b", 10));
        first.forEach(r -> expected.remove(ReaderTestSupport.text(r)));
        assertEachOnce(rest, expected);
    }

    private static int lastIndex(List<KinesisRecord> l, String shard) {
        for (int i = l.size() - 1; i >= 0; i--) {
            if (l.get(i).shardId().equals(shard)) {
                return i;
            }
        }
        return -1;
    }

    private static int firstIndex(List<KinesisRecord> l, String shard) {
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).shardId().equals(shard)) {
                return i;
            }
        }
        return -1;
    }
}
