package io.inlet.bench;

import io.inlet.demo.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an idle job's watch costs: N consumers assigned to an idle topic's partitions, each polling on its own thread
 * with a fetch the broker holds; prints their threads' CPU over a window, for a few fetch waits.
 * {@code java -cp ... io.inlet.bench.WatchIdleCost [WATCHES [SECONDS]]}
 */
public final class WatchIdleCost {

    public static void main(String[] args) throws Exception {
        int watches = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopic("idle", 3);
            System.out.printf("| fetch.max.wait.ms | metadata.max.age.ms | watches | CPU %% of a core (their threads) | per watch, ms/s |%n|---|---|---|---|---|%n");
            String[] configs = args.length > 2 ? args[2].split(",") : new String[] {"500/60000", "10000/60000", "25000/60000"};
            for (String config : configs) {
                int waitMs = Integer.parseInt(config.split("/")[0]);
                int metadataMs = Integer.parseInt(config.split("/")[1]);
                List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < watches; i++) {
                    Map<String, Object> c = new HashMap<>();
                    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
                    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, waitMs);
                    c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, waitMs + 15_000);
                    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
                    c.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, metadataMs);
                    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                            new ByteArrayDeserializer());
                    consumers.add(consumer);
                    Thread t = new Thread(() -> {
                        List<TopicPartition> tps = List.of(new TopicPartition("idle", 0), new TopicPartition("idle", 1),
                                new TopicPartition("idle", 2));
                        consumer.assign(tps);
                        consumer.seekToEnd(tps);
                        try {
                            while (true) {
                                consumer.poll(Duration.ofMillis(Math.min(25_000, metadataMs)));
                                consumer.partitionsFor("idle");
                            }
                        } catch (WakeupException e) {
                            // closed
                        } finally {
                            consumer.close(Duration.ZERO);
                        }
                    }, "watch-" + i);
                    threads.add(t);
                    t.start();
                }
                Thread.sleep(15_000); // settle: connections, first fetches
                long before = cpu(mx, threads);
                Thread.sleep(seconds * 1000L);
                long used = cpu(mx, threads) - before;
                double pct = 100.0 * used / 1e9 / seconds;
                System.out.printf("| %,d | %,d | %d | %.2f | %.4f |%n", waitMs, metadataMs, watches, pct, pct * 10 / watches);
                consumers.forEach(KafkaConsumer::wakeup);
                for (Thread t : threads) {
                    t.join(10_000);
                }
            }
        }
    }

    private static long cpu(ThreadMXBean mx, List<Thread> threads) {
        long sum = 0;
        for (Thread t : threads) {
            long c = mx.getThreadCpuTime(t.getId());
            if (c > 0) {
                sum += c;
            }
        }
        return sum;
    }
}
