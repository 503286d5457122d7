package io.inlet.infra.context;

import io.inlet.infra.kafka.AuthMode;
import io.inlet.infra.kafka.ClusterMode;

import java.util.List;

/** The MSK cluster: mode, client authentication, brokers (provisioned only), topics and the service's groups. */
public record KafkaSettings(ClusterMode mode, AuthMode auth, String kafkaVersion, String brokerInstanceType,
                            int brokerCount, int brokerVolumeGib, boolean publicSubnets, boolean publicAccess,
                            String scramUsername,
                            List<String> topics, List<ConsumerGroup> consumerGroups) {

    /** A consumer group of the ingest service and the topics it reads. */
    public record ConsumerGroup(String name, List<String> topics) {
    }

    /** The only broker port the ingest service may reach. */
    public int clientPort() {
        return auth.port(publicAccess);
    }

    public String bootstrapField() {
        return auth.bootstrapField(publicAccess);
    }
}
