package io.inlet.sink.streamload;

import io.inlet.sink.CommittedPosition;
import io.inlet.sink.FencedException;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.PositionArchive;
import io.inlet.sink.PositionStore;
import io.inlet.sink.RetryLaterException;
import io.inlet.sink.streamload.PositionRecord.Counters;
import io.inlet.source.kafka.GroupOffsets;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.source.kafka.SourceException;
import io.inlet.streamload.LabelState;
import io.inlet.streamload.StreamLoadClient;
import io.inlet.streamload.StreamLoadException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Stream Load job's positions, kept in its Kafka consumer group: each partition's committed
 * offset is where its loaded data ends, and the offset's metadata ({@link PositionRecord}) carries
 * the counters, the intent of a prepared batch and the label loaded next. Writes go through the
 * job's transactional producer ({@link GroupOffsets}), so a runtime that claims the job fences the
 * older one's writes; a batch is committed in the warehouse only after its intent is written.
 *
 * <p>Recovery ({@link #positions}) reads the records back and lets the labels decide: an intent
 * whose label is committed (or prepared, then committed now) moves the partition to the intent's
 * end; one whose label was aborted leaves it where it was; a label loaded next that is still
 * pending is aborted, so nothing of an earlier runtime lingers until it times out.
 */
final class StreamLoadPositions implements PositionStore {

    private static final Logger log = LoggerFactory.getLogger(StreamLoadPositions.class);

    /** The settled state of a partition as this runtime knows it. */
    private record Settled(long offset, long epoch, Counters counters) {}

    private final long jobId;
    private final KafkaSource source;
    private final StreamLoadClient client;
    private final PositionArchive archive;
    private final Map<Integer, Settled> settled = new ConcurrentHashMap<>();
    private GroupOffsets offsets;
    private ConsumerGroupMetadata member;
    private boolean closed;

    StreamLoadPositions(long jobId, KafkaSource source, StreamLoadClient client, PositionArchive archive) {
        this.jobId = jobId;
        this.source = source;
        this.client = client;
        this.archive = archive;
    }

    /**
     * Opens this replica's writer of the group's offsets. The partitions need no claim of their own: the group
     * coordinator fences the writes of a member that lost them ({@link #memberGeneration}).
     */
    @Override
    public synchronized long claim(Collection<String> partitions) throws Exception {
        if (closed) {
            // a writer opened again after close would fence the one of the job's next scheduling (same id)
            throw new IllegalStateException("the positions of consumer group " + source.groupId() + " are closed");
        }
        if (offsets == null) {
            offsets = GroupOffsets.open(source);
            if (member != null) {
                offsets.fence(member);
            }
        }
        return 1;
    }

    @Override
    public synchronized void memberGeneration(ConsumerGroupMetadata group) {
        member = group;
        if (offsets != null) {
            offsets.fence(group);
        }
    }

    @Override
    public boolean ownsGroupOffsets() {
        return true;
    }

    String groupId() {
        return source.groupId();
    }

    String topic() {
        return source.topic();
    }

    /**
     * The partitions' positions, with what earlier attempts left in the warehouse settled. A
     * warehouse that cannot answer now is a {@link RetryLaterException}, as for a batch: the task
     * retries its recovery as it retries a load.
     */
    @Override
    public Map<String, CommittedPosition> positions(Collection<String> partitions) throws Exception {
        try {
            return recover(partitions);
        } catch (StreamLoadException e) {
            if (e.retryable() || e.outcomeUnknown()) {
                throw new RetryLaterException(e.getMessage(), false, e);
            }
            throw e;
        }
    }

    /** The settled counters in the group's offset metadata (a pending intent counts once it is resolved). */
    @Override
    public Map<String, CommittedPosition> counters(Collection<String> partitions) throws Exception {
        claim(partitions);
        Map<Integer, OffsetAndMetadata> found = offsets().read(partitions.stream().map(Integer::parseInt).toList());
        Map<String, CommittedPosition> out = new LinkedHashMap<>();
        found.forEach((p, om) -> {
            PositionRecord r = PositionRecord.decode(om.metadata());
            Counters c = r == null ? Counters.ZERO : r.counters();
            out.put(String.valueOf(p), position(p, r != null && r.isReset() ? null : om.offset(), c));
        });
        return out;
    }

    private Map<String, CommittedPosition> recover(Collection<String> partitions) throws Exception {
        List<Integer> ps = partitions.stream().map(Integer::parseInt).toList();
        Map<Integer, OffsetAndMetadata> found = offsets().read(ps);
        if (!found.keySet().containsAll(ps)) {
            fromArchive(ps, found);
        }
        Map<String, LabelState> decided = new HashMap<>();
        Set<String> pendingNext = new LinkedHashSet<>();
        Map<Integer, OffsetAndMetadata> rewrite = new LinkedHashMap<>();
        Map<String, CommittedPosition> out = new LinkedHashMap<>();
        for (Integer p : ps) {
            OffsetAndMetadata om = found.get(p);
            PositionRecord r = om == null ? null : PositionRecord.decode(om.metadata());
            if (om == null || (r != null && r.isReset())) {
                Counters c = r == null ? Counters.ZERO : r.counters();
                settled.put(p, new Settled(-1, r == null ? System.currentTimeMillis() : r.epoch(), c));
                out.put(String.valueOf(p), position(p, null, c));
                continue;
            }
            if (r == null) {
                // offsets written by another tool (a reset of the group): a new epoch, so earlier labels cannot collide
                r = PositionRecord.settled(System.currentTimeMillis(), Counters.ZERO, null);
                log.info("partition {} of topic {}: consumer group {} is at offset {} without Inlet's metadata;"
                        + " loading resumes there", p, source.topic(), source.groupId(), om.offset());
            }
            long offset = om.offset();
            Counters c = r.counters();
            if (r.hasIntent()) {
                LabelState state = decided.get(r.label());
                if (state == null) {
                    state = resolve(r.label(), r.txnId() == null ? -1 : r.txnId());
                    decided.put(r.label(), state);
                }
                if (state.isCommitted()) {
                    offset = r.to();
                    c = r.countersAfterIntent();
                }
            }
            if (r.next() != null && !decided.containsKey(r.next())) {
                pendingNext.add(r.next());
            }
            settled.put(p, new Settled(offset, r.epoch(), c));
            out.put(String.valueOf(p), position(p, offset, c));
            if (r.hasIntent() || r.next() != null) {
                rewrite.put(p, new OffsetAndMetadata(offset, PositionRecord.settled(r.epoch(), c, null).encode()));
            }
        }
        for (String label : pendingNext) {
            LabelState s = client.abortPrepared(label, -1);
            if (s.isCommitted()) {
                throw new IllegalStateException("label " + label + " of consumer group " + source.groupId()
                        + " is " + s + " in the warehouse, but Inlet never recorded the range it loaded; the group's"
                        + " offsets were changed outside Inlet. ALTER ROUTINE LOAD with kafka_offsets to say where to"
                        + " continue");
            }
            log.info("label {} left pending by an earlier runtime: {}", label, s);
        }
        if (!rewrite.isEmpty()) {
            offsets().write(rewrite);
        }
        return out;
    }

    /**
     * Partitions whose group offset Kafka deleted (the group had no member for longer than the offset retention):
     * their archived positions, which recovery then writes back to the group.
     */
    private void fromArchive(List<Integer> partitions, Map<Integer, OffsetAndMetadata> found) throws Exception {
        Map<String, String> archived = archive.load(jobId);
        for (Integer p : partitions) {
            String a = archived.get(String.valueOf(p));
            if (!found.containsKey(p) && a != null) {
                int split = a.indexOf(' ');
                OffsetAndMetadata om = new OffsetAndMetadata(Long.parseLong(a.substring(0, split)), a.substring(split + 1));
                found.put(p, om);
                log.info("partition {} of topic {}: consumer group {} has no offset (deleted after the broker's offset"
                        + " retention?); the job's archived position {} is used", p, source.topic(), source.groupId(),
                        om.offset());
            }
        }
    }

    /**
     * Archives the settled positions of {@code partitions} (a session lets them go), after writing them to the
     * group once more: a member that lost them in a rebalance is refused there and archives nothing.
     */
    void archive(Collection<String> partitions, String next) throws FencedException, SourceException, RetryLaterException {
        Map<String, String> at = new LinkedHashMap<>();
        for (String p : partitions) {
            Settled s = settled.get(Integer.parseInt(p));
            if (s != null && s.offset() >= 0) {
                at.put(p, String.valueOf(s.offset()));
            }
        }
        if (at.isEmpty() || archive == PositionArchive.NONE) {
            return;
        }
        settle(at, next);
        for (Map.Entry<String, String> e : at.entrySet()) {
            Settled s = settled(e.getKey());
            try {
                archive.save(jobId, e.getKey(), e.getValue() + " "
                        + PositionRecord.settled(s.epoch(), s.counters(), null).encode());
            } catch (Exception ex) {
                log.warn("cannot archive the position of partition {} of job {}: {}", e.getKey(), jobId,
                        ex.getMessage());
                return;
            }
        }
    }

    /** Commits an intent's prepared transaction, or finds it committed or aborted. */
    private LabelState resolve(String label, long txnId) throws StreamLoadException {
        LabelState s = client.loadState(label);
        if (s == LabelState.PREPARED) {
            s = client.commitPrepared(label, txnId);
            log.info("label {} was prepared when the previous runtime stopped: committed now", label);
        } else if (s == LabelState.PREPARE) {
            s = client.abortPrepared(label, txnId);
        }
        return s;
    }

    private CommittedPosition position(int partition, Long offset, Counters c) {
        return new CommittedPosition(String.valueOf(partition), offset == null ? null : String.valueOf(offset),
                c.total(), c.loaded(), c.errors(), c.unselected(), c.bytes());
    }

    /** The epochs of the partitions, for labels. */
    Map<String, Long> epochs(Collection<String> partitions) {
        Map<String, Long> out = new HashMap<>();
        for (String p : partitions) {
            out.put(p, settled(p).epoch());
        }
        return out;
    }

    /**
     * Records a prepared batch: each partition stays at its start, with the intent to move to the
     * batch's end once {@code label} is committed; {@code next} is the label after it.
     */
    void intend(Map<String, String> starts, Collection<PartitionCommit> batch, String label, long txnId, String next)
            throws FencedException, SourceException, RetryLaterException {
        Map<String, PartitionCommit> byPartition = new HashMap<>();
        batch.forEach(c -> byPartition.put(c.partition(), c));
        Map<Integer, OffsetAndMetadata> w = new LinkedHashMap<>();
        starts.forEach((p, o) -> {
            Settled s = settled(p);
            PartitionCommit c = byPartition.getOrDefault(p, new PartitionCommit(p, o, 0, 0, 0, 0, 0));
            w.put(Integer.parseInt(p), new OffsetAndMetadata(Long.parseLong(o),
                    PositionRecord.intent(s.epoch(), s.counters(), label, txnId, c, next).encode()));
        });
        offsets().write(w);
    }

    /** The batch is committed in the warehouse: the partitions move to its end (in memory; see {@link #settle(Map, String)}). */
    void committed(Map<String, String> ends, Collection<PartitionCommit> batch) {
        Map<String, PartitionCommit> byPartition = new HashMap<>();
        batch.forEach(c -> byPartition.put(c.partition(), c));
        ends.forEach((p, o) -> {
            Settled s = settled(p);
            PartitionCommit c = byPartition.get(p);
            settled.put(Integer.parseInt(p), new Settled(Long.parseLong(o), s.epoch(),
                    c == null ? s.counters() : s.counters().plus(c)));
        });
    }

    /**
     * Writes the settled positions down (no intent) with {@code next}, the label the partitions'
     * task loads under next: before that load begins, and when the task has caught up.
     */
    void settle(Map<String, String> positions, String next) throws FencedException, SourceException, RetryLaterException {
        Map<Integer, OffsetAndMetadata> w = new LinkedHashMap<>();
        positions.forEach((p, o) -> {
            Settled s = settled(p);
            w.put(Integer.parseInt(p), new OffsetAndMetadata(Long.parseLong(o),
                    PositionRecord.settled(s.epoch(), s.counters(), next).encode()));
        });
        offsets().write(w);
    }

    /**
     * ALTER's new positions: each partition starts at its offset (null: from kafka_offsets at
     * RESUME) in a new epoch, keeping its counters.
     */
    void reset(Map<String, String> positions) throws Exception {
        List<String> names = List.copyOf(positions.keySet());
        claim(names);
        positions(names);
        long epoch = System.currentTimeMillis();
        Map<Integer, OffsetAndMetadata> w = new LinkedHashMap<>();
        positions.forEach((p, o) -> {
            Counters c = settled(p).counters();
            w.put(Integer.parseInt(p), o == null
                    ? new OffsetAndMetadata(0, PositionRecord.reset(epoch, c).encode())
                    : new OffsetAndMetadata(Long.parseLong(o), PositionRecord.settled(epoch, c, null).encode()));
        });
        offsets().write(w);
    }

    /** A partition's settled state; one not read yet starts a new epoch, kept from then on. */
    private Settled settled(String partition) {
        return settled.computeIfAbsent(Integer.parseInt(partition),
                p -> new Settled(-1, System.currentTimeMillis(), Counters.ZERO));
    }

    private synchronized GroupOffsets offsets() {
        if (offsets == null) {
            throw new IllegalStateException("the positions of consumer group " + source.groupId() + " are not claimed");
        }
        return offsets;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (offsets != null) {
            offsets.close();
            offsets = null;
        }
    }
}
