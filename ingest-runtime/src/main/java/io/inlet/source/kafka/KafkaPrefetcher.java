package io.inlet.source.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Polls a consumer on its own thread, ahead of the task that decodes and loads the records. The
 * consumer fetches a partition again only once its buffered records are handed out, so without
 * this the task would wait for every fetch round trip. The consumer is confined to this thread
 * from {@link #start} on: offsets to mirror to the group go through {@link #commitAsync}.
 */
public final class KafkaPrefetcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaPrefetcher.class);
    private static final Object CAUGHT_UP = new Object();
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final BlockingQueue<Object> handover;
    private final ConcurrentLinkedQueue<Map<TopicPartition, OffsetAndMetadata>> commits = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final OutOfRangePolicy outOfRange;
    private final java.util.function.Consumer<SkippedRange> skipped;
    private volatile boolean closed;
    private volatile Map<Integer, Long> lag = Map.of();
    private volatile Exception commitFailure;

    /**
     * @param consumer assigned and positioned; from now on used only by this prefetcher's thread
     * @param depth    how many polls' worth of records may wait for the task
     */
    public KafkaPrefetcher(KafkaConsumer<byte[], byte[]> consumer, String topic, int depth, String threadName) {
        this(consumer, topic, depth, threadName, OutOfRangePolicy.PAUSE, range -> { });
    }

    /**
     * @param outOfRange what to do when a position is out of range (the consumer resets nothing by itself)
     * @param skipped    told, on the consumer's thread, of each range skipped by {@code outOfRange}
     */
    public KafkaPrefetcher(KafkaConsumer<byte[], byte[]> consumer, String topic, int depth, String threadName,
                           OutOfRangePolicy outOfRange, java.util.function.Consumer<SkippedRange> skipped) {
        this.outOfRange = outOfRange;
        this.skipped = skipped;
        this.consumer = consumer;
        this.topic = topic;
        this.handover = new ArrayBlockingQueue<>(depth);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public KafkaPrefetcher start() {
        thread.start();
        return this;
    }

    /**
     * The next records, waiting up to {@code timeoutMillis}; empty when the consumer has caught up
     * with the topic or nothing arrived in time. Rethrows the consumer's failure.
     */
    public ConsumerRecords<byte[], byte[]> next(long timeoutMillis) throws Exception {
        Object item = handover.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (item instanceof ConsumerRecords<?, ?> records) {
            @SuppressWarnings("unchecked")
            ConsumerRecords<byte[], byte[]> typed = (ConsumerRecords<byte[], byte[]>) records;
            return typed;
        }
        if (item instanceof Failure f) {
            throw f.cause();
        }
        return ConsumerRecords.empty();
    }

    /** Mirrors offsets to the consumer group, from the consumer's thread, without waiting. */
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commits.add(offsets);
    }

    /** Messages behind the newest offset, by partition, as of the last fetch. */
    public Map<Integer, Long> lag() {
        return lag;
    }

    private record Failure(Exception cause) {}

    private void run() {
        try {
            while (!closed) {
                mirrorCommits();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (OffsetOutOfRangeException e) {
                    outOfRange(e.offsetOutOfRangePartitions());
                    continue;
                }
                if (commitFailure != null) {
                    throw commitFailure;
                }
                observeLag();
                if (records.isEmpty()) {
                    handover.offer(CAUGHT_UP);
                    continue;
                }
                while (!closed && !handover.offer(records, 100, TimeUnit.MILLISECONDS)) {
                    mirrorCommits();
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                hand(new Failure(e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            hand(new Failure(e));
        } finally {
            try {
                mirrorCommits();
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("closing the consumer of {}: {}", topic, e.toString());
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

    private void hand(Failure failure) {
        handover.clear();
        handover.offer(failure);
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

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
