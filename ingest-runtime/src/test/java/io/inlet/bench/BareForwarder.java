package io.inlet.bench;

import io.inlet.streamload.Flavor;
import io.inlet.streamload.StreamLoadBody;
import io.inlet.streamload.StreamLoadClient;
import io.inlet.streamload.StreamLoadConfig;
import io.inlet.streamload.StreamLoadHeaders;
import io.inlet.streamload.StreamLoadResponse;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The least any Kafka → Stream Load forwarder does, for the benchmark's ceiling: one thread and
 * consumer per partition, the message values joined as a JSON array and sent with a plain
 * {@code _stream_load} per 20,000 messages, on a thread of its own while the next batch is read.
 * No structural check, no labels that survive a restart, no transaction, no positions: what it
 * costs is what the machine charges for consuming and sending alone, next to the broker and the
 * endpoint.
 *
 * <p>Runs in its own JVM with the service's heap and collector:
 * {@code BareForwarder BOOTSTRAP TOPIC PARTITIONS LOAD_URL DATABASE USER TABLE...} (password in
 * {@code INLET_WAREHOUSE_PASSWORD}): reads the topic from its beginning into each table in turn, the
 * second time with its code compiled, and exits.
 */
public final class BareForwarder {

    private static final int BATCH = 20_000;
    private static final byte[] OPEN = {'['};
    private static final byte[] COMMA = {','};
    private static final byte[] CLOSE = {']'};

    private BareForwarder() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int partitions = Integer.parseInt(args[2]);
        Map<String, String> headers = StreamLoadHeaders.builder(Flavor.STARROCKS)
                .json("[\"$.userid\",\"$.regionid\",\"$.gender\",\"$.registertime\"]", null, true, false)
                .columns("userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000)").build();
        for (int t = 6; t < args.length; t++) {
            StreamLoadConfig config = StreamLoadConfig.builder().loadUrls(args[3]).database(args[4]).table(args[t])
                    .user(args[5]).password(System.getenv("INLET_WAREHOUSE_PASSWORD")).flavor(Flavor.STARROCKS).build();
            pass(bootstrap, topic, partitions, config, headers);
        }
    }

    private static void pass(String bootstrap, String topic, int partitions, StreamLoadConfig config,
                             Map<String, String> headers) throws Exception {
        try (StreamLoadClient client = new StreamLoadClient(config)) {
            PartitionThreads.sum(partitions, "r-" + config.table(),
                    partition -> forward(bootstrap, new TopicPartition(topic, partition), client, headers));
        }
    }

    /** Forwards the partition from its beginning to its end; the offset it reached. */
    private static long forward(String bootstrap, TopicPartition tp, StreamLoadClient client,
                                Map<String, String> headers) throws Exception {
        ExecutorService sender = Executors.newSingleThreadExecutor(
                r -> new Thread(r, "s-" + client.config().table() + "-" + tp.partition()));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            List<byte[]> batch = new ArrayList<>(BATCH);
            long next = 0;
            int loads = 0;
            Future<?> sending = CompletableFuture.completedFuture(null);
            while (next < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    batch.add(r.value());
                    next = r.offset() + 1;
                }
                if (batch.size() >= BATCH || (next >= end && !batch.isEmpty())) {
                    sending.get();
                    List<byte[]> full = batch;
                    String label = "bare_" + tp.partition() + "_" + loads++ + "_" + System.nanoTime();
                    sending = sender.submit(() -> load(client, label, headers, full));
                    batch = new ArrayList<>(BATCH);
                }
            }
            sending.get();
            return next;
        } finally {
            sender.shutdown();
        }
    }

    private static Void load(StreamLoadClient client, String label, Map<String, String> headers, List<byte[]> batch)
            throws Exception {
        StreamLoadResponse response = client.load(label, headers, StreamLoadBody.joined(batch, OPEN, COMMA, CLOSE));
        if (response.outcome() != StreamLoadResponse.Outcome.SUCCESS) {
            throw new IllegalStateException("label " + label + ": " + response.describeFailure());
        }
        return null;
    }
}
