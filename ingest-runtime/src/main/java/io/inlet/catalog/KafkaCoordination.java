package io.inlet.catalog;

import io.inlet.config.RuntimeConfig;
import io.inlet.source.kinesis.CoordinationCluster;
import org.apache.kafka.clients.admin.Admin;

import java.util.Map;
import java.util.Optional;

/**
 * The runtime's {@code catalog.kafka.*} cluster as the place where the replicas of Kinesis jobs form their consumer
 * groups: the same brokers, security and MSK IAM credentials as the job catalog. The members subscribe to the catalog
 * topic (created when missing, as the catalog creates it) and are assigned none of its partitions.
 */
public final class KafkaCoordination implements CoordinationCluster, AutoCloseable {

    private final CatalogConnection connection;
    private volatile boolean topicReady;

    private KafkaCoordination(CatalogConnection connection) {
        this.connection = connection;
    }

    /**
     * The coordination cluster of {@code config}; empty when {@code catalog.kafka.bootstrap-servers} is not set (each
     * Kinesis job then runs on one replica).
     *
     * @throws io.inlet.config.ConfigException when the settings are set but cannot work, naming the key
     */
    public static Optional<KafkaCoordination> from(RuntimeConfig config) {
        if (config.get(RuntimeConfig.CATALOG_KAFKA_BOOTSTRAP_SERVERS) == null) {
            return Optional.empty();
        }
        return Optional.of(new KafkaCoordination(CatalogConnection.from(config)));
    }

    @Override
    public String topic() throws CatalogException {
        if (!topicReady) {
            synchronized (this) {
                if (!topicReady) {
                    try (Admin admin = Admin.create(connection.adminConfig())) {
                        CatalogTopic.ensure(admin, connection);
                    }
                    topicReady = true;
                }
            }
        }
        return connection.topic();
    }

    @Override
    public Map<String, Object> consumerConfig(String groupId, String clientId) throws CatalogException {
        return connection.memberConfig(groupId, clientId);
    }

    @Override
    public void close() {
        connection.close();
    }
}
