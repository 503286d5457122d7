package io.inlet.catalog;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The catalog topic's shape: one partition (one order of writes) and {@code cleanup.policy=compact} (the latest
 * record of each job is kept for ever). Created when missing, refused when it exists with another shape.
 */
final class CatalogTopic {

    private static final Logger log = LoggerFactory.getLogger(CatalogTopic.class);
    private static final Duration CREATED_TOPIC_WAIT = Duration.ofSeconds(30);

    private CatalogTopic() {}

    static void ensure(Admin admin, CatalogConnection connection) throws CatalogException {
        String topic = connection.topic();
        try {
            if (!exists(admin, topic)) {
                create(admin, topic);
            }
            check(admin, topic);
        } catch (ExecutionException e) {
            throw new CatalogException(connection.describe("the job catalog topic '" + topic + "' cannot be set up",
                    e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("interrupted while setting up the job catalog topic '" + topic + "'", e);
        }
    }

    private static boolean exists(Admin admin, String topic) throws ExecutionException, InterruptedException {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Replication factor min(3, brokers) and min.insync.replicas one less (at least 1), so that a write survives a
     * broker's loss and writes go on while one replica is away. Clusters that fix both (MSK Serverless) refuse to be
     * told: their own settings are used then.
     */
    private static void create(Admin admin, String topic) throws ExecutionException, InterruptedException {
        short replicas = (short) Math.min(3, admin.describeCluster().nodes().get().size());
        int minInSync = Math.max(1, replicas - 1);
        NewTopic wanted = new NewTopic(topic, 1, replicas).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInSync)));
        try {
            admin.createTopics(List.of(wanted)).all().get();
            log.info("created the job catalog topic '{}': 1 partition, cleanup.policy=compact, replication factor {},"
                    + " min.insync.replicas {}", topic, replicas, minInSync);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TopicExistsException) {
                return; // another runtime created it first; check() looks at what it made
            }
            if (!(cause instanceof PolicyViolationException || cause instanceof InvalidConfigurationException
                    || cause instanceof InvalidReplicationFactorException)) {
                throw e;
            }
            log.info("the cluster refused replication factor {} and min.insync.replicas {} for the job catalog topic"
                    + " '{}' ({}); creating it with the cluster's own", replicas, minInSync, topic, cause.getMessage());
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
                log.info("created the job catalog topic '{}': 1 partition, cleanup.policy=compact", topic);
            } catch (ExecutionException again) {
                if (!(again.getCause() instanceof TopicExistsException)) {
                    throw again;
                }
            }
        }
    }

    /** Checks the topic, waiting a while for a topic just created to be known to every broker. */
    private static void check(Admin admin, String topic) throws ExecutionException, InterruptedException,
            CatalogException {
        long deadline = System.nanoTime() + CREATED_TOPIC_WAIT.toNanos();
        while (true) {
            try {
                checkNow(admin, topic);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void checkNow(Admin admin, String topic) throws ExecutionException, InterruptedException,
            CatalogException {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        int partitions = description.partitions().size();
        if (partitions != 1) {
            throw new CatalogException("the job catalog topic '" + topic + "' has " + partitions + " partitions; it"
                    + " needs exactly 1 (one order of writes): set catalog.kafka.topic to a topic that does not exist"
                    + " yet, and Inlet creates it");
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        String value = policy == null ? null : policy.value();
        if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(value)) {
            throw new CatalogException("the job catalog topic '" + topic + "' has cleanup.policy=" + value
                    + "; it needs cleanup.policy=compact, or jobs would be deleted with old segments: set it with"
                    + " kafka-configs --alter --add-config cleanup.policy=compact, or set catalog.kafka.topic to a"
                    + " topic that does not exist yet");
        }
    }
}
