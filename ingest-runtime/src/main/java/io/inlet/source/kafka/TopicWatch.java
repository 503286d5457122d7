package io.inlet.source.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Watches a resting job's topic for its next message without a group membership: no heartbeats, one fetch that the
 * broker holds until a message arrives (or {@value #FETCH_WAIT_MS} ms pass). The first message, a partition added to
 * the topic, or any failure calls {@code wake} once; the job then joins its group again, which deals with what it
 * finds.
 */
public final class TopicWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicWatch.class);
    /** The broker holds a watch's fetch this long; 500 resting jobs' empty answers are most of an idle runtime's work. */
    private static final int FETCH_WAIT_MS = 25_000;
    /**
     * How often a watch looks for partitions added to the topic, in metadata at most a minute old unless the job's
     * {@code property.metadata.max.age.ms} says otherwise.
     */
    private static final Duration POLL = Duration.ofSeconds(25);
    private static final int METADATA_MAX_AGE_MS = 60_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaSource source;
    private final Map<Integer, Long> from;
    private final Runnable wake;
    private final ConsumerThread thread;
    private final Duration poll;

    /**
     * @param from where the job's loading stands, by partition: a partition not named here is watched from its end
     * @param wake told once, on the watch's thread, when the job should load again
     */
    public TopicWatch(KafkaSource source, Map<Integer, Long> from, Runnable wake, String threadName)
            throws SourceException {
        Map<String, Object> config = source.consumerConfig("watch");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned, not subscribed: no group, no heartbeats
        // the broker answers nothing else on the watch's connection while it holds the fetch, metadata included:
        // a partition added is seen within this wait or metadata.max.age.ms, whichever is longer
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_WAIT_MS);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Integer.parseInt(String.valueOf(config.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))) + 15_000);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        config.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, METADATA_MAX_AGE_MS);
        this.poll = Duration.ofMillis(Math.min(POLL.toMillis(),
                Long.parseLong(String.valueOf(config.get(ConsumerConfig.METADATA_MAX_AGE_CONFIG)))));
        this.consumer = source.newConsumer(config);
        this.source = source;
        this.from = Map.copyOf(from);
        this.wake = wake;
        this.thread = new ConsumerThread(consumer, this::run, threadName);
    }

    public TopicWatch start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            List<Integer> partitions = source.partitions(consumer);
            List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(source.topic(), p)).toList();
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            for (TopicPartition tp : tps) {
                Long at = from.get(tp.partition());
                if (at != null) {
                    consumer.seek(tp, at);
                }
            }
            while (!thread.closed()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(poll);
                if (!records.isEmpty() || source.partitions(consumer).size() > partitions.size()) {
                    break;
                }
            }
        } catch (WakeupException e) {
            if (thread.closed()) {
                return;
            }
        } catch (Exception e) {
            log.debug("watching topic {}: {}", source.topic(), e.toString()); // the job's member meets it again
        } finally {
            try {
                // at once: there is no group to leave and nothing to commit, and a close with a timeout waits for the
                // fetch the broker holds (to end the fetch session), which made 500 jobs' shutdown take a minute
                consumer.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // closing
            }
        }
        if (!thread.closed()) {
            wake.run();
        }
    }

    @Override
    public void close() {
        thread.close(Duration.ofSeconds(10));
    }
}
