package io.inlet.catalog;

import io.inlet.config.ConfigException;
import io.inlet.config.RuntimeConfig;
import io.inlet.source.kafka.KafkaErrors;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.source.kafka.SourceException;
import io.inlet.sql.KafkaPropertyDefs;
import io.inlet.sql.KafkaSourceProperties;
import io.inlet.sql.Property;
import io.inlet.sql.PropertyList;
import io.inlet.sql.StatementException;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the job catalog reaches Kafka: {@code catalog.kafka.*} of the runtime configuration, read as the
 * {@code kafka_broker_list}, {@code property.*} and {@code aws.*} of a FROM KAFKA clause, so that they are checked,
 * translated and signed (MSK IAM) exactly as a job's are. Messages name the configuration's keys, not the clause's.
 */
final class CatalogConnection implements AutoCloseable {

    private static final Pattern PROPERTY = Pattern.compile("(?<![\\w.])property\\.");
    private static final Pattern AWS = Pattern.compile("(?<![\\w.])aws\\.(?=\\*|(?:"
            + String.join("|", RuntimeConfig.CATALOG_KAFKA_AWS.names().stream().map(Pattern::quote).toList()) + ")\\b)");

    private final String topic;
    private final KafkaSource source;

    private CatalogConnection(String topic, KafkaSource source) {
        this.topic = topic;
        this.source = source;
    }

    /** The catalog's connection; a {@link ConfigException} naming the key when the settings cannot work. */
    static CatalogConnection from(RuntimeConfig config) {
        String brokers = config.get(RuntimeConfig.CATALOG_KAFKA_BOOTSTRAP_SERVERS);
        if (brokers == null) {
            throw RuntimeConfig.missing(RuntimeConfig.CATALOG_KAFKA_BOOTSTRAP_SERVERS,
                    "the job catalog is a Kafka topic");
        }
        String topic = config.get(RuntimeConfig.CATALOG_KAFKA_TOPIC);
        List<Property> clause = new ArrayList<>();
        clause.add(new Property(KafkaPropertyDefs.BROKER_LIST, brokers));
        clause.add(new Property(KafkaPropertyDefs.TOPIC, topic));
        config.entries(RuntimeConfig.CATALOG_KAFKA_PROPERTY)
                .forEach((k, v) -> clause.add(new Property("property." + k, v)));
        config.entries(RuntimeConfig.CATALOG_KAFKA_AWS)
                .forEach((k, v) -> clause.add(new Property("aws." + k, v)));
        try {
            KafkaSourceProperties properties = KafkaSourceProperties.from(new PropertyList(clause));
            return new CatalogConnection(topic, new KafkaSource(properties, "catalog", ZoneOffset.UTC, "catalog"));
        } catch (StatementException e) {
            throw new ConfigException("the Kafka settings of the job catalog cannot work: " + inConfigTerms(e.reason()));
        }
    }

    String topic() {
        return topic;
    }

    Map<String, Object> adminConfig() throws CatalogException {
        return clientConfig("admin", AdminClientConfig.configNames());
    }

    /** Idempotent and transactional, every write acknowledged by all in-sync replicas. */
    Map<String, Object> producerConfig(String transactionalId) throws CatalogException {
        Map<String, Object> config = clientConfig("writer", ProducerConfig.configNames());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return config;
    }

    /** Reads committed records only, by assignment: no consumer group. */
    Map<String, Object> consumerConfig() throws CatalogException {
        Map<String, Object> config = clientConfig("reader", ConsumerConfig.configNames());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    /** A member of consumer group {@code groupId} (a Kinesis job's replicas), named {@code clientId}. */
    Map<String, Object> memberConfig(String groupId, String clientId) throws CatalogException {
        Map<String, Object> config = clientConfig("member", ConsumerConfig.configNames());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** What failed and what to check, as {@link KafkaErrors} says it for jobs, in the configuration's key names. */
    String describe(String what, Throwable e) {
        return inConfigTerms(KafkaErrors.describe(what, e, source.mskIam()).getMessage());
    }

    /**
     * A job's consumer configuration (translated {@code property.*}, MSK IAM, brokers), less the consumer settings
     * that {@code client} does not know.
     */
    private Map<String, Object> clientConfig(String role, Set<String> client) throws CatalogException {
        try {
            return source.clientConfig(role, client);
        } catch (SourceException e) {
            throw new CatalogException("the job catalog cannot reach Kafka: " + inConfigTerms(e.getMessage()), e);
        }
    }

    /** A FROM KAFKA message with the catalog's keys: property.x → catalog.kafka.property.x, and so on. */
    static String inConfigTerms(String message) {
        String m = PROPERTY.matcher(message).replaceAll(RuntimeConfig.CATALOG_KAFKA_PROPERTY.prefix());
        m = AWS.matcher(m).replaceAll(RuntimeConfig.CATALOG_KAFKA_AWS.prefix());
        return m.replace(KafkaPropertyDefs.BROKER_LIST, RuntimeConfig.CATALOG_KAFKA_BOOTSTRAP_SERVERS.name())
                .replace(KafkaPropertyDefs.TOPIC, RuntimeConfig.CATALOG_KAFKA_TOPIC.name());
    }

    /** Releases the AWS clients of MSK IAM, if any were made. */
    @Override
    public void close() {
        source.close();
    }
}
