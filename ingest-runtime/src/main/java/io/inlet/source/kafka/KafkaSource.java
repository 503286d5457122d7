package io.inlet.source.kafka;

import io.inlet.sql.KafkaClientValidation;
import io.inlet.sql.KafkaPropertyDefs;
import io.inlet.sql.KafkaSourceProperties;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's Kafka topic: which partitions it reads, where each starts, and the clients that read it
 * and record positions in its consumer group.
 */
public final class KafkaSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);
    public static final String OFFSET_BEGINNING = "OFFSET_BEGINNING";
    public static final String OFFSET_END = "OFFSET_END";
    /**
     * How long an offset transaction of a replica that died while writing it holds up the next reader of the group's
     * offsets (reads wait for stable offsets); writing the offsets takes milliseconds.
     */
    public static final Duration OFFSET_TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final KafkaSourceProperties properties;
    private final String groupId;
    private final ZoneId timezone;
    private final boolean mskIam;
    private final String replica;
    private volatile MskIamCredentials iamCredentials;
    private volatile String resolvedBrokers;

    /**
     * @param replica this runtime's name among the replicas (e.g. host/pid), unique while it runs: its writers'
     *                transactional ids carry it
     */
    public KafkaSource(KafkaSourceProperties properties, String groupId, ZoneId timezone, String replica) {
        this.replica = replica;
        this.properties = properties;
        this.groupId = properties.clientProperties().getOrDefault("group.id", groupId);
        this.timezone = timezone;
        this.mskIam = KafkaClientValidation.protocol(properties.clientProperties()).startsWith("SASL_")
                && KafkaClientValidation.isMskIam(properties.clientProperties());
    }

    /** True when the job authenticates with MSK IAM (OAUTHBEARER or AWS_MSK_IAM). */
    public boolean mskIam() {
        return mskIam;
    }

    /** The job's AWS credentials (MSK IAM, cluster ARN look-up), made on first use. */
    public MskIamCredentials awsCredentials() {
        MskIamCredentials c = iamCredentials;
        if (c == null) {
            synchronized (this) {
                c = iamCredentials;
                if (c == null) {
                    String region = KafkaClientValidation.mskRegion(properties.awsProperties(), properties.brokerList());
                    c = MskIamCredentials.from(properties.awsProperties(), region == null ? "us-east-1" : region,
                            "inlet-" + groupId);
                    iamCredentials = c;
                }
            }
        }
        return c;
    }

    /** kafka_broker_list, or the brokers of aws.msk.cluster_arn (looked up once). */
    public String brokers() throws SourceException {
        if (properties.brokerList() != null) {
            return properties.brokerList();
        }
        String b = resolvedBrokers;
        if (b == null) {
            String arn = properties.awsProperties().get(KafkaPropertyDefs.MSK_CLUSTER_ARN);
            if (arn == null) {
                throw new SourceException("FROM KAFKA needs kafka_broker_list or aws.msk.cluster_arn");
            }
            MskBootstrapResolver.Auth auth = MskBootstrapResolver.authFor(
                    KafkaClientValidation.protocol(properties.clientProperties()),
                    KafkaClientValidation.mechanism(properties.clientProperties()), mskIam);
            b = MskBootstrapResolver.resolve(arn.trim(), auth, awsCredentials(),
                    properties.awsProperties().get(KafkaPropertyDefs.MSK_ENDPOINT));
            log.info("aws.msk.cluster_arn {}: {} bootstrap brokers {}", arn, auth, b);
            resolvedBrokers = b;
        }
        return b;
    }

    /** The job's {@code aws.*} settings, which name its MSK IAM identity. */
    Map<String, String> awsSettings() {
        return properties.awsProperties();
    }

    public String topic() {
        return properties.topic();
    }

    public String groupId() {
        return groupId;
    }

    public Map<String, Object> consumerConfig(String clientIdSuffix) throws SourceException {
        Map<String, Object> config = new HashMap<>(KafkaClientConfig.translate(properties.clientProperties()));
        if (mskIam) {
            boolean oauth = "OAUTHBEARER".equals(KafkaClientValidation.mechanism(properties.clientProperties()));
            config.put(MskIamCallbackHandler.CREDENTIALS_CONFIG, awsCredentials());
            if (oauth) {
                config.put(SaslConfigs.SASL_JAAS_CONFIG,
                        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
                config.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, MskIamCallbackHandler.class.getName());
            } else {
                config.put(SaslConfigs.SASL_JAAS_CONFIG, "software.amazon.msk.auth.iam.IAMLoginModule required;");
                config.put(SaslConfigs.SASL_CLIENT_CALLBACK_HANDLER_CLASS, MskIamCallbackHandler.class.getName());
            }
        }
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "inlet-" + groupId + "-" + clientIdSuffix);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        // max.partition.fetch.bytes stays at Kafka's 1 MB: a task's fetches of 4 MB outlived young collections
        // and were promoted, so a small heap ran full collections every second (bench/README.md)
        config.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
        config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        return config;
    }

    /**
     * The config of this runtime's member of the job's consumer group: subscribed with {@link JobAssignor}
     * (cooperative), and metadata refreshed often enough that partitions added to the topic are loaded soon.
     */
    public Map<String, Object> memberConfig() throws SourceException {
        Map<String, Object> config = consumerConfig(MEMBER_CLIENT + replica);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, JobAssignor.class.getName());
        config.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 30_000);
        // a replica killed without leaving the group holds its partitions this long: Kafka's 45 s is longer than a
        // task's restart on another replica needs, and a broker restarted while members were in the group waits for
        // them as long
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        // fetch.max.wait.ms stays Kafka's 500 ms: a partition resumed after its lane backed up is fetched only once
        // the node's fetch in flight for the caught-up partitions returns (2 s halved a 500,000-row load's rate);
        // idle jobs do not fetch at all, they rest (JobManager)
        return config;
    }

    private static final String MEMBER_CLIENT = "member-";

    /** The replica a group member belongs to, read from its client id ({@link #memberConfig}); the id if not Inlet's. */
    public static String replicaOfMember(String clientId) {
        int at = clientId.indexOf("-" + MEMBER_CLIENT);
        return at < 0 ? clientId : clientId.substring(at + MEMBER_CLIENT.length() + 1);
    }

    /** {@code kafka_partitions}: the partitions the job is limited to, empty for all of the topic's. */
    public List<Integer> configuredPartitions() {
        return properties.partitions();
    }

    /**
     * A transactional producer that writes nothing but this job's consumer-group offsets, with this
     * replica's own {@code transactional.id}; the group coordinator fences its writes by the group
     * generation they carry (see {@link GroupOffsets}).
     */
    public KafkaProducer<byte[], byte[]> newOffsetProducer() throws SourceException {
        Map<String, Object> producer = clientConfig("positions", ProducerConfig.configNames());
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) OFFSET_TRANSACTION_TIMEOUT.toMillis());
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try {
            return new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw KafkaErrors.describe("failed to create the kafka producer of the job's positions", e, mskIam);
        }
    }

    /**
     * The job's settings for a client of another kind (producer, admin) named by its configuration
     * names: the consumer's brokers, security and MSK IAM, less the consumer settings it does not know.
     */
    public Map<String, Object> clientConfig(String clientIdSuffix, Set<String> clientConfigNames) throws SourceException {
        if (mskIam) {
            awsCredentials().check();
        }
        Map<String, Object> config = consumerConfig(clientIdSuffix);
        config.keySet().removeIf(k -> ConsumerConfig.configNames().contains(k) && !clientConfigNames.contains(k));
        return config;
    }

    /** The transactional id of {@link #newOffsetProducer}: one per consumer group and replica. */
    public String transactionalId() {
        return groupId + ".inlet." + replica;
    }

    /**
     * A consumer for this job. Fails with a message that names the cause and the property to check when the
     * configuration cannot work: unreadable PEM files, no AWS credentials, a cluster ARN that cannot be looked up.
     */
    public KafkaConsumer<byte[], byte[]> newConsumer(String clientIdSuffix) throws SourceException {
        return newConsumer(consumerConfig(clientIdSuffix));
    }

    /** A consumer of {@code config}, made from {@link #consumerConfig} or {@link #memberConfig}. */
    public KafkaConsumer<byte[], byte[]> newConsumer(Map<String, Object> config) throws SourceException {
        if (mskIam) {
            awsCredentials().check(); // the signer would only log why; say it in ReasonOfStateChanged
        }
        try {
            return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            throw KafkaErrors.describe("failed to create kafka consumer", e, mskIam);
        }
    }

    /** The partitions the job reads: {@code kafka_partitions}, or every partition of the topic. */
    public List<Integer> partitions(KafkaConsumer<?, ?> consumer) throws SourceException {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(properties.topic(), Duration.ofSeconds(15));
        } catch (RuntimeException e) {
            throw KafkaErrors.describe("failed to get partition meta of topic " + properties.topic(), e, mskIam);
        }
        if (infos == null || infos.isEmpty()) {
            throw new SourceException("no partition in this topic: topic '" + properties.topic()
                    + "' does not exist or has no partitions; check kafka_topic and kafka_broker_list");
        }
        List<Integer> all = infos.stream().map(PartitionInfo::partition).sorted().toList();
        if (properties.partitions().isEmpty()) {
            return all;
        }
        for (Integer p : properties.partitions()) {
            if (!all.contains(p)) {
                throw new SourceException("partition " + p + " of kafka_partitions does not exist in topic '"
                        + properties.topic() + "' (it has " + all.size() + " partitions)");
            }
        }
        return List.copyOf(properties.partitions());
    }

    /**
     * Reads the consumer group's offset of {@code partition}, so that missing rights on a group that only
     * mirrors the job's positions pause the job with a clear reason rather than failing every commit
     * quietly. Not for a group that holds the positions in offset transactions: a consumer reads only
     * stable offsets, so a runtime that died while recording them would hold this read up until the
     * broker's transaction timeout; there, reading the positions after the claim (which aborts that
     * transaction) checks the same rights.
     */
    public void checkGroupAccess(KafkaConsumer<?, ?> consumer, int partition) throws SourceException {
        try {
            consumer.committed(Set.of(new TopicPartition(properties.topic(), partition)), Duration.ofSeconds(15));
        } catch (RuntimeException e) {
            throw KafkaErrors.describe("failed to read the committed offsets of consumer group '" + groupId + "'", e, mskIam);
        }
    }

    /**
     * Where each partition starts when the job has no committed position for it: its entry in
     * {@code kafka_offsets}, else {@code property.kafka_default_offsets}.
     */
    /** {@code property.kafka_out_of_range_offsets}: what the job does when retention removed its position. */
    public OutOfRangePolicy outOfRangePolicy() {
        return OutOfRangePolicy.of(properties.clientProperties().get("kafka_out_of_range_offsets"));
    }

    public Map<Integer, Long> initialOffsets(KafkaConsumer<?, ?> consumer, Collection<Integer> partitions)
            throws SourceException {
        Map<Integer, Long> result = new HashMap<>();
        Map<TopicPartition, Long> byTime = new HashMap<>();
        List<TopicPartition> beginning = new ArrayList<>();
        List<TopicPartition> end = new ArrayList<>();
        for (Integer p : partitions) {
            String spec = properties.defaultOffsets();
            int i = properties.partitions().indexOf(p);
            if (i >= 0 && i < properties.offsets().size()) {
                spec = properties.offsets().get(i);
            }
            TopicPartition tp = new TopicPartition(properties.topic(), p);
            if (spec == null || spec.equalsIgnoreCase(OFFSET_END)) {
                end.add(tp);
            } else if (spec.equalsIgnoreCase(OFFSET_BEGINNING)) {
                beginning.add(tp);
            } else if (spec.matches("\\d+")) {
                result.put(p, Long.parseLong(spec));
            } else {
                long millis = LocalDateTime.parse(spec.trim(), DATETIME).atZone(timezone).toInstant().toEpochMilli();
                byTime.put(tp, millis);
            }
        }
        try {
            if (!beginning.isEmpty()) {
                consumer.beginningOffsets(beginning).forEach((tp, o) -> result.put(tp.partition(), o));
            }
            if (!end.isEmpty()) {
                consumer.endOffsets(end).forEach((tp, o) -> result.put(tp.partition(), o));
            }
            if (!byTime.isEmpty()) {
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(byTime);
                Map<TopicPartition, Long> ends = consumer.endOffsets(byTime.keySet());
                for (TopicPartition tp : byTime.keySet()) {
                    OffsetAndTimestamp o = found.get(tp);
                    result.put(tp.partition(), o != null ? o.offset() : ends.get(tp));
                }
            }
        } catch (RuntimeException e) {
            throw KafkaErrors.describe("failed to get the offsets of topic " + properties.topic(), e, mskIam);
        }
        return result;
    }

    /** Releases the job's AWS clients (STS), if it made any. */
    @Override
    public void close() {
        MskIamCredentials c = iamCredentials;
        if (c != null) {
            c.close();
        }
    }
}
