package io.inlet.source.kafka;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This runtime's member of a job's consumer group: one consumer, subscribed to the job's topic, that the group
 * coordinator gives a share of the partitions ({@link JobAssignor}). It polls on its own thread, ahead of the tasks
 * that decode and load, and hands each task the records of its partitions through a {@link Lane}.
 *
 * <p>Partitions move only through the {@link Listener}, on the member's thread inside a poll: before partitions
 * leave (revoked, lost, or the member closing) the job stops loading them; after a rebalance the job recovers the
 * positions of its partitions, opens lanes at them and starts its tasks. Closing leaves the group at once, so the
 * partitions move to the other members without waiting for the session timeout.
 */
public final class GroupMember implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupMember.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Once the partitions have been quiet for {@value #QUIET_POLLS} polls: a fetch brings a message sooner anyway. */
    private static final Duration POLL_WHILE_QUIET = Duration.ofMillis(2_000);
    private static final int QUIET_POLLS = 10;
    private static final Duration POLL_WHILE_BACKED_UP = Duration.ofMillis(5);
    private static final Object CAUGHT_UP = new Object();

    /** What the job does when partitions move; called on the member's thread. */
    public interface Listener {
        /** {@code partitions} leave this member: stop loading them (roll back or settle what is in flight). */
        void revoked(Set<Integer> partitions);

        /**
         * After a rebalance: this member's partitions (all of them, kept and new) and the number of tasks that
         * should load them. The listener recovers their positions and opens a lane per task.
         */
        void assigned(Set<Integer> partitions, int tasks, Assignment assignment) throws Exception;

        /** Every rebalance, first: the group's new generation, which fenced writes must carry from now on. */
        default void rebalanced(ConsumerGroupMetadata group) {
        }

        /** The member stopped on a failure (it has left the group): the job cannot load now. */
        void failed(Exception cause);
    }

    /** What the listener may use while partitions are assigned: valid only inside {@link Listener#assigned}. */
    public interface Assignment {
        /** The member's consumer, for offset look-ups (never to poll). */
        KafkaConsumer<byte[], byte[]> consumer();

        /** The group's generation and member id, for writes fenced by the group coordinator. */
        ConsumerGroupMetadata group();

        /** Positions {@code starts}' partitions and opens a lane that hands out their records. */
        Lane open(Map<Integer, Long> starts);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Listener listener;
    private final OutOfRangePolicy outOfRange;
    private final Consumer<SkippedRange> skipped;
    private final ConsumerThread thread;
    private final List<Lane> lanes = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Map<TopicPartition, OffsetAndMetadata>> commits = new ConcurrentLinkedQueue<>();
    private volatile int tasks = 1;
    /** Member thread: polls in a row that brought nothing. */
    private int quietPolls;
    /** When a poll last brought records, or partitions were last assigned (System.nanoTime). */
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean rejoin;
    private volatile Map<Integer, Long> lag = Map.of();
    private volatile Exception commitFailure;
    private volatile Set<Integer> owned = Set.of();
    private volatile String memberId = "";
    /** The listener's own exception from a rebalance callback, which the consumer rethrows wrapped. */
    private volatile Exception callbackFailure;

    /**
     * @param concurrency the job's desired_concurrent_number, over all members
     * @param skipped     told, on the member's thread, of each range the job's out-of-range policy skipped
     */
    public GroupMember(KafkaSource source, int concurrency, Listener listener, Consumer<SkippedRange> skipped,
                       String threadName) throws SourceException {
        Map<String, Object> config = source.memberConfig();
        config.put(JobAssignor.CONCURRENCY_CONFIG, concurrency);
        config.put(JobAssignor.PARTITIONS_CONFIG, source.configuredPartitions());
        config.put(JobAssignor.TASKS_LISTENER_CONFIG, (java.util.function.IntConsumer) n -> tasks = n);
        this.consumer = source.newConsumer(config);
        this.topic = source.topic();
        this.listener = listener;
        this.outOfRange = source.outOfRangePolicy();
        this.skipped = skipped;
        this.thread = new ConsumerThread(consumer, this::run, threadName);
    }

    public GroupMember start() {
        thread.start();
        return this;
    }

    /** This member's id in the group, once it has joined. */
    public String memberId() {
        return memberId;
    }

    /** How long the member's partitions have brought no records (and none were assigned). */
    public long quietMillis() {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivity);
    }

    /** The partitions this member holds now. */
    public Set<Integer> partitions() {
        return owned;
    }

    /** Messages behind the newest offset, by partition of this member, as of the last fetch. */
    public Map<Integer, Long> lag() {
        return lag;
    }

    /** Mirrors offsets to the consumer group, from the member's thread, without waiting. */
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commits.add(offsets);
    }

    /** Asks the group for a new assignment (this member found that it lost partitions it thought were its own). */
    public void rejoin() {
        rejoin = true;
    }

    private final ConsumerRebalanceListener rebalance = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            leave(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            leave(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> added) {
            lastActivity = System.nanoTime();
            ConsumerGroupMetadata generation = consumer.groupMetadata();
            memberId = generation.memberId();
            listener.rebalanced(generation);
            Set<Integer> all = new TreeSet<>();
            consumer.assignment().forEach(tp -> all.add(tp.partition()));
            // every rebalance starts the tasks again, also one that kept this member's partitions: its generation is
            // new, and a task fenced from its partitions waits for it
            stopLanes();
            owned = Set.copyOf(all);
            if (all.isEmpty()) {
                return;
            }
            ConsumerGroupMetadata group = consumer.groupMetadata();
            try {
                listener.assigned(Set.copyOf(all), Math.max(1, Math.min(tasks, all.size())), new Assignment() {
                    @Override
                    public KafkaConsumer<byte[], byte[]> consumer() {
                        return consumer;
                    }

                    @Override
                    public ConsumerGroupMetadata group() {
                        return group;
                    }

                    @Override
                    public Lane open(Map<Integer, Long> starts) {
                        starts.forEach((p, o) -> consumer.seek(new TopicPartition(topic, p), o));
                        Lane lane = new Lane(starts.keySet());
                        lanes.add(lane);
                        return lane;
                    }
                });
            } catch (Exception e) {
                callbackFailure = e;
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    };

    private void leave(Collection<TopicPartition> partitions) {
        Set<Integer> leaving = new TreeSet<>();
        partitions.forEach(tp -> leaving.add(tp.partition()));
        if (leaving.isEmpty()) {
            return;
        }
        listener.revoked(Set.copyOf(owned)); // the tasks span kept partitions too: all stop, the kept ones restart
        stopLanes();
        Set<Integer> kept = new TreeSet<>(owned);
        kept.removeAll(leaving);
        owned = Set.copyOf(kept);
    }

    private void stopLanes() {
        for (Lane lane : lanes) {
            lane.closed = true;
            if (lane.pending != null) {
                lane.pending = null;
                consumer.resume(lane.tps);
            }
        }
        lanes.clear();
    }

    private void run() {
        Exception failure = null;
        try {
            consumer.subscribe(List.of(topic), rebalance);
            while (!thread.closed()) {
                applyRewinds();
                mirrorCommits();
                if (rejoin) {
                    rejoin = false;
                    consumer.enforceRebalance("this member was fenced from partitions it held");
                }
                boolean backedUp = deliverPending();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(backedUp ? POLL_WHILE_BACKED_UP
                            : quietPolls >= QUIET_POLLS ? POLL_WHILE_QUIET : POLL);
                } catch (OffsetOutOfRangeException e) {
                    outOfRange(e.offsetOutOfRangePartitions());
                    continue;
                }
                quietPolls = records.isEmpty() && !backedUp ? quietPolls + 1 : 0;
                if (quietPolls == 0) {
                    lastActivity = System.nanoTime();
                }
                if (commitFailure != null) {
                    throw commitFailure;
                }
                observeLag();
                route(records);
            }
        } catch (WakeupException e) {
            if (!thread.closed()) {
                failure = e;
            }
        } catch (Exception e) {
            failure = callbackFailure != null ? callbackFailure : e;
        } finally {
            try {
                mirrorCommits();
                // leaving: the revoke callback stops the tasks first
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } catch (RuntimeException e) {
                log.debug("closing the group member of {}: {}", topic, e.toString());
            }
            for (Lane lane : lanes) {
                lane.closed = true;
            }
            if (failure != null) {
                for (Lane lane : lanes) {
                    lane.fail(failure);
                }
                listener.failed(failure);
            }
        }
    }

    /** Hands each lane the records of its partitions; a lane whose tasks lag behind pauses its partitions. */
    private void route(ConsumerRecords<byte[], byte[]> records) {
        for (Lane lane : lanes) {
            if (lane.closed || lane.pending != null) {
                continue;
            }
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> mine = new HashMap<>();
            for (TopicPartition tp : lane.tps) {
                List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
                if (!rs.isEmpty()) {
                    mine.put(tp, rs);
                }
            }
            if (!mine.isEmpty()) {
                Chunk chunk = new Chunk(lane.applied, new ConsumerRecords<>(mine, Map.of()));
                if (!lane.offer(chunk)) {
                    lane.pending = chunk;
                    consumer.pause(lane.tps);
                }
            } else if (lane.queue.isEmpty() && caughtUp(lane)) {
                lane.queue.offer(new Chunk(lane.applied, null));
            }
        }
    }

    /** Offers the chunks that did not fit; true while some lane is still backed up. */
    private boolean deliverPending() {
        boolean backedUp = false;
        for (Lane lane : lanes) {
            Chunk c = lane.pending;
            if (c == null) {
                continue;
            }
            if (lane.closed || c.epoch != lane.requested) {
                lane.pending = null;
                consumer.resume(lane.tps);
            } else if (lane.offer(c)) {
                lane.pending = null;
                consumer.resume(lane.tps);
            } else {
                backedUp = true;
            }
        }
        if (backedUp) {
            for (Lane lane : lanes) {
                if (lane.pending != null) {
                    try {
                        lane.space.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    break;
                }
            }
        }
        return backedUp;
    }

    private boolean caughtUp(Lane lane) {
        for (TopicPartition tp : lane.tps) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isEmpty() || l.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    private void applyRewinds() {
        for (Lane lane : lanes) {
            Map<Integer, Long> to;
            long epoch;
            synchronized (lane) {
                to = lane.rewindTo;
                epoch = lane.requested;
                lane.rewindTo = null;
            }
            if (to != null) {
                to.forEach((p, o) -> consumer.seek(new TopicPartition(topic, p), o));
                if (lane.pending != null) {
                    lane.pending = null;
                    consumer.resume(lane.tps);
                }
                lane.applied = epoch;
            }
        }
    }

    /** Pauses the job with the partitions' positions and offsets, or seeks where the policy says and reports it. */
    private void outOfRange(Map<TopicPartition, Long> positions) throws SourceException {
        Map<TopicPartition, Long> earliest = consumer.beginningOffsets(positions.keySet());
        Map<TopicPartition, Long> latest = consumer.endOffsets(positions.keySet());
        if (outOfRange == OutOfRangePolicy.PAUSE) {
            StringBuilder sb = new StringBuilder();
            positions.forEach((tp, at) -> sb.append(sb.isEmpty() ? "" : "; ").append("partition ").append(tp.partition())
                    .append(" of topic ").append(tp.topic()).append(": the job's position ").append(at)
                    .append(" is out of range, the earliest offset available is ").append(earliest.get(tp))
                    .append(" and the latest ").append(latest.get(tp)));
            throw new OffsetsOutOfRangeException(sb + " (retention removed messages the job had not loaded, or the topic"
                    + " was created again). Nothing was skipped: set 'kafka_offsets' with ALTER ROUTINE LOAD, or"
                    + " 'property.kafka_out_of_range_offsets' = 'OFFSET_BEGINNING' or 'OFFSET_END' to go on from there,"
                    + " then RESUME");
        }
        positions.forEach((tp, at) -> {
            long to = outOfRange == OutOfRangePolicy.OFFSET_BEGINNING ? earliest.get(tp) : latest.get(tp);
            consumer.seek(tp, to);
            skipped.accept(new SkippedRange(tp.topic(), tp.partition(), at, to, earliest.get(tp), latest.get(tp)));
        });
    }

    private void mirrorCommits() {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        while ((offsets = commits.poll()) != null) {
            consumer.commitAsync(offsets, (done, e) -> {
                if (e instanceof org.apache.kafka.common.errors.AuthorizationException) {
                    commitFailure = e; // Read on the group is missing: say so instead of failing quietly forever
                } else if (e != null) {
                    log.debug("mirroring offsets of {} to the consumer group failed: {}", topic, e.toString());
                }
            });
        }
    }

    private void observeLag() {
        Map<Integer, Long> observed = new TreeMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                observed.put(tp.partition(), l.getAsLong());
            }
        }
        lag = observed;
    }

    /** Leaves the group: the revoke callback stops the tasks, then the partitions move to the other members. */
    @Override
    public void close() {
        thread.close(Duration.ofSeconds(30));
    }

    private record Chunk(long epoch, ConsumerRecords<byte[], byte[]> records) {}

    private record Failure(Exception cause) {}

    /**
     * One task's feed: the records of its partitions, in order. A task that rolled back a batch rewinds its lane to
     * where its partitions are settled; records read before the rewind are not handed out any more.
     */
    public final class Lane {
        private final Set<Integer> partitions;
        private final List<TopicPartition> tps = new ArrayList<>();
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        /** Signalled when the task takes from the queue, so a backed-up member hands on at once. */
        private final BlockingQueue<Object> space = new ArrayBlockingQueue<>(1);
        private volatile boolean closed;
        private volatile long requested;
        /** Member thread: the rewind the consumer's positions reflect. */
        private volatile long applied;
        private Map<Integer, Long> rewindTo;
        /** Member thread: a chunk the queue had no room for; its partitions are paused meanwhile. */
        private Chunk pending;
        /** Told when records (or a failure) are put in the queue. */
        private volatile Runnable onRecords = () -> { };

        private Lane(Set<Integer> partitions) {
            this.partitions = Set.copyOf(partitions);
            partitions.stream().sorted().forEach(p -> tps.add(new TopicPartition(topic, p)));
        }

        public Set<Integer> partitions() {
            return partitions;
        }

        /**
         * The next records, waiting up to {@code timeoutMillis}; empty when the partitions are caught up or
         * nothing arrived in time. Rethrows the member's failure.
         */
        public ConsumerRecords<byte[], byte[]> next(long timeoutMillis) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                long left = deadline - System.nanoTime();
                Object item = queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (item == null) {
                    return ConsumerRecords.empty();
                }
                space.offer(CAUGHT_UP);
                if (item instanceof Failure f) {
                    throw f.cause();
                }
                Chunk c = (Chunk) item;
                if (c.epoch() != requested) {
                    continue; // read before a rewind
                }
                return c.records() == null ? ConsumerRecords.empty() : c.records();
            }
        }

        /**
         * The next records if some are waiting, else empty at once: caught-up markers and records read before a
         * rewind are passed over. Rethrows the member's failure.
         */
        public ConsumerRecords<byte[], byte[]> poll() throws Exception {
            Object item;
            while ((item = queue.poll()) != null) {
                space.offer(CAUGHT_UP);
                if (item instanceof Failure f) {
                    throw f.cause();
                }
                Chunk c = (Chunk) item;
                if (c.epoch() == requested && c.records() != null) {
                    return c.records();
                }
            }
            return ConsumerRecords.empty();
        }

        /** Whether records (or a failure) wait in the lane. */
        public boolean hasRecords() {
            for (Object item : queue) {
                if (item instanceof Failure || item instanceof Chunk c && c.records() != null) {
                    return true;
                }
            }
            return false;
        }

        /** {@code listener} is told, on the member's thread, whenever records or a failure arrive. */
        public void onRecords(Runnable listener) {
            this.onRecords = listener;
        }

        /** Puts a chunk of records in the queue; false when it is full. */
        private boolean offer(Chunk c) {
            if (!queue.offer(c)) {
                return false;
            }
            if (c.records() != null) {
                onRecords.run();
            }
            return true;
        }

        /** Reads from {@code positions} on: what was read beyond them is dropped. */
        public void rewind(Map<Integer, Long> positions) {
            synchronized (this) {
                requested++;
                rewindTo = Map.copyOf(positions);
            }
            queue.clear();
        }

        private void fail(Exception cause) {
            queue.clear();
            queue.offer(new Failure(cause));
            onRecords.run();
        }
    }
}
