package io.inlet.demo;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaBrokerTest {

    /** A broker with ten listeners once drew the same port twice; ports drawn together never repeat. */
    @Test
    void portsDrawnTogetherAreDistinct() {
        for (int round = 0; round < 20; round++) {
            List<Integer> ports = EmbeddedKafkaBroker.freePorts(12);
            assertThat(ports).doesNotHaveDuplicates().hasSize(12);
        }
    }

    @Test
    void producesAndConsumesOnLoopback() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            broker.createTopic("t", 2);
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("t", i % 2, null, "m" + i)).get();
                }
            }
            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)));
                consumer.seekToBeginning(consumer.assignment());
                List<String> seen = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 20_000;
                while (seen.size() < 10 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.value());
                    }
                }
                assertThat(seen).hasSize(10);
            }
        }
    }
}
