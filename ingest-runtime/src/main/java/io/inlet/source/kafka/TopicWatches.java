package io.inlet.source.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches resting jobs' topics for their next messages, one consumer per cluster (per client settings) for all of
 * them: an assigned consumer with no group (no heartbeats) whose one fetch, over every watched partition, the broker
 * holds until a message arrives. A consumer per job cost 0.05–0.1 ms of CPU per second each even while its fetch was
 * held (500 resting jobs: 2–4 % of a core); one shared consumer costs that once.
 *
 * <p>The first message on a watched partition, a partition added to a watched topic (seen within the client's
 * {@code metadata.max.age.ms}), or any failure of the consumer wakes the job (its {@code wake} runs once, on a thread of
 * its own); the job then joins its group again, which deals with what it finds.
 */
public final class TopicWatches implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicWatches.class);
    /** The broker holds the shared fetch this long; it answers at once when a message arrives. */
    private static final int FETCH_WAIT_MS = 25_000;
    private static final int METADATA_MAX_AGE_MS = 60_000;

    private final Map<Map<String, Object>, Shared> shared = new ConcurrentHashMap<>();
    private final ExecutorService wakes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "inlet-watch-wake");
        t.setDaemon(true);
        return t;
    });

    /** A resting job's watch; {@link #close} ends it without waking the job. */
    public final class Watch implements AutoCloseable {
        private final String topic;
        private final Map<Integer, Long> from;
        private final Runnable wake;
        private final AtomicBoolean done = new AtomicBoolean();
        private final Shared on;
        private int partitions;

        private Watch(String topic, Map<Integer, Long> from, Runnable wake, Shared on) {
            this.topic = topic;
            this.from = Map.copyOf(from);
            this.wake = wake;
            this.on = on;
        }

        private void fire() {
            if (done.compareAndSet(false, true)) {
                on.changes.add(this);
                wakes.execute(wake);
            }
        }

        @Override
        public void close() {
            if (done.compareAndSet(false, true)) {
                on.changes.add(this);
                on.consumer.wakeup();
            }
        }
    }

    /**
     * Watches {@code source}'s topic from {@code from} (by partition; a partition not named is watched from its end);
     * {@code wake} runs once when the job should load again.
     */
    public Watch watch(KafkaSource source, Map<Integer, Long> from, Runnable wake) throws SourceException {
        Map<String, Object> config = source.consumerConfig("watch");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.CLIENT_ID_CONFIG);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_WAIT_MS);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Integer.parseInt(String.valueOf(config.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))) + 15_000);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // one record tells a watch what it waits for: small fetches, however many partitions are watched
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024);
        config.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, METADATA_MAX_AGE_MS);
        Map<String, Object> key = new TreeMap<>(config);
        // jobs with the same MSK IAM settings share one identity; their credentials objects differ by session name
        Object credentials = key.remove(MskIamCallbackHandler.CREDENTIALS_CONFIG);
        if (credentials != null) {
            key.put(MskIamCallbackHandler.CREDENTIALS_CONFIG, source.awsSettings());
        }
        Shared s;
        synchronized (shared) {
            s = shared.get(key);
            if (s == null || s.thread.closed()) {
                config.put(ConsumerConfig.CLIENT_ID_CONFIG, "inlet-watch-" + (shared.size() + 1));
                s = new Shared(key, source.newConsumer(config), config);
                shared.put(key, s);
                s.start();
            }
        }
        Watch w = new Watch(source.topic(), from, wake, s);
        s.changes.add(w);
        if (s.ended) {
            w.fire(); // its consumer failed meanwhile: the job joins its group, which meets the fault
        } else {
            s.consumer.wakeup();
        }
        return w;
    }

    @Override
    public void close() {
        synchronized (shared) {
            shared.values().forEach(s -> s.thread.close(Duration.ofSeconds(10)));
            shared.clear();
        }
        wakes.shutdownNow();
    }

    /** One consumer and its thread, watching the partitions of every watch of one client identity. */
    private final class Shared {
        private final Map<String, Object> key;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final ConsumerThread thread;
        private final Duration poll;
        /** Watches to add or to drop (done), applied on the consumer's thread. */
        private final Queue<Watch> changes = new ConcurrentLinkedQueue<>();
        /** Consumer thread: by partition, its watches and the offset each waits for (a message there or later). */
        private final Map<TopicPartition, Map<Watch, Long>> owners = new HashMap<>();
        private final Set<Watch> watching = new LinkedHashSet<>();
        private volatile boolean ended;

        Shared(Map<String, Object> key, KafkaConsumer<byte[], byte[]> consumer, Map<String, Object> config) {
            this.key = key;
            this.consumer = consumer;
            this.poll = Duration.ofMillis(Math.min(FETCH_WAIT_MS,
                    Long.parseLong(String.valueOf(config.get(ConsumerConfig.METADATA_MAX_AGE_CONFIG)))));
            this.thread = new ConsumerThread(consumer, this::run, "inlet-watches");
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                while (!thread.closed()) {
                    try {
                        if (apply()) {
                            continue;
                        }
                        if (owners.isEmpty()) {
                            Thread.sleep(200);
                            continue;
                        }
                        ConsumerRecords<byte[], byte[]> records = consumer.poll(poll);
                        records.forEach(r -> {
                            Map<Watch, Long> waiting = owners.get(new TopicPartition(r.topic(), r.partition()));
                            if (waiting != null) {
                                waiting.forEach((w, from) -> {
                                    if (r.offset() >= from) {
                                        w.fire();
                                    }
                                });
                            }
                        });
                        for (Watch w : List.copyOf(watching)) {
                            try {
                                if (!w.done.get() && consumer.partitionsFor(w.topic).size() > w.partitions) {
                                    w.fire();
                                }
                            } catch (WakeupException e) {
                                throw e;
                            } catch (RuntimeException e) {
                                log.debug("watching topic {}: {}", w.topic, e.toString());
                                w.fire();
                            }
                        }
                    } catch (WakeupException e) {
                        // a watch added or closed (the loop applies it), or the close
                    }
                }
            } catch (Exception e) {
                log.warn("watching resting jobs' topics failed, so they load again: {}", e.toString());
            } finally {
                try {
                    consumer.close(Duration.ZERO); // no group, nothing to commit; the broker ends the fetch session
                } catch (RuntimeException ignored) {
                    // closing
                }
                synchronized (shared) {
                    shared.remove(key, this);
                }
                ended = true;
                watching.forEach(Watch::fire);
                Watch w;
                while ((w = changes.poll()) != null) {
                    w.fire();
                }
            }
        }

        /**
         * Adds and drops the queued watches, each partition read from the earliest offset one of its watches waits
         * for; true when something changed.
         */
        private boolean apply() {
            boolean changed = false;
            // peeked, and taken once applied: a wakeup may interrupt a lookup, and the loop applies it again
            for (Watch next = changes.peek(); next != null; next = changes.peek()) {
                Watch change = next;
                changed = true;
                if (change.done.get()) {
                    watching.remove(change);
                    owners.values().forEach(m -> m.remove(change));
                    owners.values().removeIf(Map::isEmpty);
                    changes.poll();
                    continue;
                }
                List<TopicPartition> tps;
                Map<TopicPartition, Long> ends;
                try {
                    tps = consumer.partitionsFor(change.topic).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    ends = consumer.endOffsets(tps);
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // this topic only (missing, denied, a lookup that timed out): its job meets it in its group
                    log.debug("watching topic {}: {}", change.topic, e.toString());
                    changes.poll();
                    change.fire();
                    continue;
                }
                change.partitions = tps.size();
                for (TopicPartition tp : tps) {
                    Long at = change.from.get(tp.partition());
                    owners.computeIfAbsent(tp, k -> new HashMap<>()).put(change, at != null ? at : ends.get(tp));
                }
                watching.add(change);
                changes.poll();
            }
            if (changed) {
                consumer.assign(List.copyOf(owners.keySet()));
                owners.forEach((tp, waiting) -> consumer.seek(tp, Collections.min(waiting.values())));
            }
            return changed;
        }
    }
}
