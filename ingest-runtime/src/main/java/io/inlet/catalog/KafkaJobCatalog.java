package io.inlet.catalog;

import io.inlet.config.RuntimeConfig;
import io.inlet.job.JobCatalog;
import io.inlet.job.JobRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job catalog of warehouses that cannot hold it (StarRocks, Doris): a compacted Kafka topic of one partition,
 * keyed by job id, each value the job's latest {@link JobRecord} as JSON ({@link StoredJob}), the way Kafka Connect
 * keeps its configurations. Reads see committed writes only, up to the end of the topic when they start; each write
 * is its own transaction, acknowledged by all in-sync replicas before it returns.
 *
 * <p>Two runtimes alive at once (a rolling deploy): every runtime writes with the same {@code transactional.id}
 * ({@link #transactionalId}), and opening the catalog fences every runtime that opened it before. The newer runtime
 * fences first and reads second, so it sees every change the older one committed; the older one's later changes
 * fail with {@link CatalogFencedException} and are not saved. The last runtime to open the catalog owns it.
 */
public final class KafkaJobCatalog implements JobCatalog, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaJobCatalog.class);
    /** Ids start above this, as in the JDBC warehouses' catalog. */
    static final long IDS_ABOVE = 10_000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int COMMIT_ATTEMPTS = 3;

    private final CatalogConnection connection;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<Long, JobRecord> jobs = new TreeMap<>();
    private long largestId = IDS_ABOVE;
    /** Why the producer can write no more (fenced, or a fatal error): then only a new runtime can change jobs. */
    private KafkaException cannotWrite;

    private KafkaJobCatalog(CatalogConnection connection, KafkaProducer<byte[], byte[]> producer) {
        this.connection = connection;
        this.topic = connection.topic();
        this.producer = producer;
    }

    /** The {@code transactional.id} of every runtime's catalog writes on {@code topic}. */
    public static String transactionalId(String topic) {
        return topic + ".catalog";
    }

    /**
     * Opens the catalog of {@code catalog.kafka.*}: creates or checks the topic, fences older runtimes, reads the jobs.
     *
     * @throws io.inlet.config.ConfigException when the settings are missing or cannot work, naming the key
     * @throws CatalogException                when Kafka cannot be reached, refuses access or holds a misshapen topic
     */
    public static KafkaJobCatalog open(RuntimeConfig config) throws CatalogException {
        CatalogConnection connection = CatalogConnection.from(config);
        KafkaProducer<byte[], byte[]> producer = null;
        try {
            try (Admin admin = Admin.create(connection.adminConfig())) {
                CatalogTopic.ensure(admin, connection);
            }
            producer = new KafkaProducer<>(connection.producerConfig(transactionalId(connection.topic())),
                    new ByteArraySerializer(), new ByteArraySerializer());
            try {
                producer.initTransactions();
            } catch (KafkaException e) {
                String what = "the job catalog topic '" + connection.topic() + "' cannot be written with"
                        + " transactional.id '" + transactionalId(connection.topic()) + "'";
                throw new CatalogException(connection.describe(what, e), e);
            }
            KafkaJobCatalog catalog = new KafkaJobCatalog(connection, producer);
            List<JobRecord> jobs = catalog.all();
            log.info("job catalog: {} job(s) in topic '{}' of {}", jobs.size(), connection.topic(),
                    config.get(RuntimeConfig.CATALOG_KAFKA_BOOTSTRAP_SERVERS));
            return catalog;
        } catch (CatalogException | RuntimeException e) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            connection.close();
            throw e;
        }
    }

    @Override
    public synchronized long nextJobId() {
        return largestId + 1;
    }

    @Override
    public synchronized void insert(JobRecord job) throws CatalogException {
        if (jobs.containsKey(job.id())) {
            throw new CatalogException("job id " + job.id() + " is taken in the job catalog topic '" + topic + "'");
        }
        write(job);
    }

    @Override
    public synchronized void update(JobRecord job) throws CatalogException {
        if (!jobs.containsKey(job.id())) {
            throw new CatalogException("job id " + job.id() + " is not in the job catalog topic '" + topic + "'");
        }
        write(job);
    }

    /** Every job, by id: the topic read again from its start to its end as of this call. */
    @Override
    public synchronized List<JobRecord> all() throws CatalogException {
        Map<Long, JobRecord> read = read();
        jobs.clear();
        jobs.putAll(read);
        return List.copyOf(jobs.values());
    }

    private Map<Long, JobRecord> read() throws CatalogException {
        Map<Long, JobRecord> read = new TreeMap<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(connection.consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition); // read_committed: the last stable offset
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new CatalogException("reading the job catalog topic '" + topic + "' took more than "
                            + READ_TIMEOUT.toSeconds() + " s; it stopped at offset " + consumer.position(partition)
                            + " of " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r, read);
                }
            }
        } catch (KafkaException e) {
            throw new CatalogException(connection.describe("the job catalog topic '" + topic + "' cannot be read", e), e);
        }
        return read;
    }

    private void apply(ConsumerRecord<byte[], byte[]> r, Map<Long, JobRecord> read) {
        try {
            long id = StoredJob.id(r.key());
            largestId = Math.max(largestId, id);
            if (r.value() == null) {
                read.remove(id);
            } else {
                read.put(id, StoredJob.job(id, r.value()));
            }
        } catch (StoredJob.NotAJob e) {
            log.warn("job catalog topic '{}': skipped the record at partition {}, offset {}: {}", r.topic(),
                    r.partition(), r.offset(), e.getMessage());
        }
    }

    private void write(JobRecord job) throws CatalogException {
        if (cannotWrite != null) {
            throw notSaved(job, cannotWrite);
        }
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, StoredJob.key(job.id()), StoredJob.value(job)));
            commit();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            cannotWrite = e;
            throw notSaved(job, e);
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException fatal) {
                cannotWrite = fenced(fatal) ? fatal : e;
                throw notSaved(job, cannotWrite);
            }
            throw new CatalogException(connection.describe(saving(job) + " failed", e), e);
        }
        jobs.put(job.id(), job);
        largestId = Math.max(largestId, job.id());
    }

    private CatalogException notSaved(JobRecord job, KafkaException e) {
        if (fenced(e)) {
            return new CatalogFencedException(saving(job) + " failed: a newer Inlet runtime opened the job catalog and"
                    + " fenced this one (transactional.id '" + transactionalId(topic) + "'); this runtime can no longer"
                    + " change jobs, the newer one owns them", e);
        }
        return new CatalogException(connection.describe(saving(job) + " failed", e) + "; the catalog's producer"
                + " cannot go on, so this runtime can no longer change jobs: restart it", e);
    }

    private String saving(JobRecord job) {
        return "saving job " + job.db() + "." + job.name() + " (id " + job.id() + ", " + job.state()
                + ") in the job catalog topic '" + topic + "'";
    }

    private static boolean fenced(KafkaException e) {
        return e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException;
    }

    /** A commit that timed out may have happened: the client finishes it when asked again. */
    private void commit() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    throw e;
                }
                log.warn("committing to the job catalog topic '{}' timed out (attempt {} of {}); trying again", topic,
                        attempt, COMMIT_ATTEMPTS);
            }
        }
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        connection.close();
    }
}
