package io.inlet.infra.druid;

import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.druid.data.input.impl.JsonInputFormat;
import org.apache.druid.indexing.kafka.KafkaIndexTaskClientFactory;
import org.apache.druid.indexing.kafka.KafkaIndexTaskModule;
import org.apache.druid.indexing.kafka.supervisor.KafkaSupervisorSpec;
import org.apache.druid.indexing.overlord.IndexerMetadataStorageCoordinator;
import org.apache.druid.indexing.overlord.TaskMaster;
import org.apache.druid.indexing.overlord.TaskStorage;
import org.apache.druid.indexing.overlord.supervisor.SupervisorSpec;
import org.apache.druid.indexing.overlord.supervisor.SupervisorStateManagerConfig;
import org.apache.druid.jackson.DefaultObjectMapper;
import org.apache.druid.java.util.emitter.service.ServiceEmitter;
import org.apache.druid.java.util.metrics.DruidMonitorSchedulerConfig;
import org.apache.druid.math.expr.ExprMacroTable;
import org.apache.druid.segment.incremental.RowIngestionMetersFactory;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered supervisor spec as Druid reads it: deserialized by Druid's own Kafka indexing service classes (its
 * {@code @JacksonInject} services injected as Druid's Guice would, here empty), and its consumer properties building
 * a Kafka consumer with aws-msk-iam-auth, as Druid's tasks do with that jar on their classpath.
 */
class DruidSupervisorSpecTest {
    static final String BROKERS = "boot-abcd1234.c2.kafka-serverless.us-west-2.amazonaws.com:9098";

    /** Druid's JSON mapper with the Kafka indexing service's types, and its injected services left empty. */
    static ObjectMapper druidMapper() {
        ObjectMapper mapper = new DefaultObjectMapper();
        new KafkaIndexTaskModule().getJacksonModules().forEach(mapper::registerModule);
        InjectableValues.Std injected = new InjectableValues.Std();
        for (Class<?> service : List.of(TaskStorage.class, TaskMaster.class, IndexerMetadataStorageCoordinator.class,
                KafkaIndexTaskClientFactory.class, ServiceEmitter.class, RowIngestionMetersFactory.class)) {
            injected.addValue(service, null);
        }
        injected.addValue(DruidMonitorSchedulerConfig.class, new DruidMonitorSchedulerConfig());
        injected.addValue(SupervisorStateManagerConfig.class, new SupervisorStateManagerConfig());
        injected.addValue(ObjectMapper.class, mapper);
        injected.addValue(ExprMacroTable.class, ExprMacroTable.nil());
        mapper.setInjectableValues(injected);
        return mapper;
    }

    static KafkaSupervisorSpec parse(String spec) throws Exception {
        SupervisorSpec parsed = druidMapper().readValue(spec, SupervisorSpec.class);
        assertThat(parsed).isInstanceOf(KafkaSupervisorSpec.class);
        return (KafkaSupervisorSpec) parsed;
    }

    @Test
    void druidReadsTheRenderedSpecAsAKafkaSupervisorOnTheTopic() throws Exception {
        KafkaSupervisorSpec spec = parse(DruidSupervisorSpec.render(BROKERS, "events"));

        assertThat(spec.getType()).isEqualTo("kafka");
        assertThat(spec.getId()).isEqualTo("events");
        assertThat(spec.getDataSchema().getDataSource()).isEqualTo("events");
        assertThat(spec.getDataSchema().getAggregators()).hasSize(2);
        assertThat(spec.getIoConfig().getStream()).isEqualTo("events");
        assertThat(spec.getIoConfig().getInputFormat()).isInstanceOf(JsonInputFormat.class);
        assertThat(spec.getIoConfig().getTaskCount()).isEqualTo(3);
        assertThat(spec.getIoConfig().getReplicas()).isEqualTo(2);
        assertThat(spec.getTuningConfig().getMaxRowsInMemory()).isEqualTo(100_000);
    }

    @Test
    void itsConsumerUsesTheIamListenerWithSaslSslAndAwsMskIam() throws Exception {
        Map<String, Object> consumer = parse(DruidSupervisorSpec.render(BROKERS, "events")).getIoConfig()
                .getConsumerProperties();

        assertThat(consumer).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", BROKERS,
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "AWS_MSK_IAM",
                "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
    }

    @Test
    void itsConsumerPropertiesBuildAKafkaConsumerWithAwsMskIamAuth() throws Exception {
        // A consumer resolves its bootstrap hosts when built: a local address stands in for MSK's, offline.
        Map<String, Object> properties = new HashMap<>(parse(DruidSupervisorSpec.render("127.0.0.1:9098", "events"))
                .getIoConfig().getConsumerProperties());
        properties.put("group.id", "druid-spec-check");

        // Construction logs in through IAMLoginModule and loads its callback handler; nothing connects until poll.
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            assertThat(consumer.metrics()).isNotEmpty();
        }
    }
}
