package io.inlet.infra.context;

import io.inlet.infra.kafka.AuthMode;
import io.inlet.infra.kafka.ClusterMode;

import java.util.List;
import java.util.Optional;

/**
 * The MSK cluster: mode, the service's client authentication, brokers (provisioned only), public access for clients
 * outside the VPC, TLS client authentication, topics and the service's groups.
 */
public record KafkaSettings(ClusterMode mode, AuthMode auth, String kafkaVersion, String brokerInstanceType,
                            int brokerCount, int brokerVolumeGib, boolean publicSubnets, boolean publicAccess,
                            List<String> publicClientCidrs, Optional<String> tlsCaArn,
                            Optional<String> tlsClientSecretArn, String scramUsername,
                            List<String> topics, List<ConsumerGroup> consumerGroups) {

    /** A consumer group of the ingest service and the topics it reads. */
    public record ConsumerGroup(String name, List<String> topics) {
    }

    /**
     * The only broker port the ingest service may reach: always the private listener, since the service runs in the
     * VPC (public access is for clients outside it, and turning it on must not move the service).
     */
    public int clientPort() {
        return auth.port(false);
    }

    public String bootstrapField() {
        return auth.bootstrapField(false);
    }

    public int publicPort() {
        return auth.port(true);
    }

    public String publicBootstrapField() {
        return auth.bootstrapField(true);
    }
}
