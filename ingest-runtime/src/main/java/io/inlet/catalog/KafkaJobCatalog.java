package io.inlet.catalog;

import io.inlet.config.RuntimeConfig;
import io.inlet.job.JobCatalog;
import io.inlet.job.JobException;
import io.inlet.job.JobIdTakenException;
import io.inlet.job.JobRecord;
import io.inlet.sink.PositionArchive;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job catalog of warehouses that cannot hold it (StarRocks, Doris): a compacted Kafka topic of one partition,
 * keyed by job id, each value the job's latest {@link JobRecord} as JSON ({@link StoredJob}), the way Kafka Connect
 * keeps its configurations. Reads see committed writes only, up to the end of the topic when they start; each write
 * is its own transaction, acknowledged by all in-sync replicas before it returns.
 *
 * <p>Replicas: every runtime reads the whole topic and writes its own changes, each with its own
 * {@code transactional.id} ({@link #transactionalId}); a change made through one replica reaches the others when
 * they next read ({@code JobManager.followCatalog}). Two replicas that create a job at the same moment may pick the
 * same new id: the topic's order decides, the later one puts the earlier one's record back and tries the next id.
 */
public final class KafkaJobCatalog implements JobCatalog, PositionArchive, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaJobCatalog.class);
    /** Ids start above this, as in the JDBC warehouses' catalog. */
    static final long IDS_ABOVE = 10_000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int COMMIT_ATTEMPTS = 3;

    private final CatalogConnection connection;
    private final String topic;
    private final String replica;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<Long, JobRecord> jobs = new TreeMap<>();
    /** Archived positions ({@link PositionArchive}) by record key {@code positions/<job id>/<partition>}. */
    private final Map<String, String> archived = new TreeMap<>();
    /** Each job id's first record in the topic, which decides which of two creates of one id keeps it. */
    private final Map<Long, ConsumerRecord<byte[], byte[]>> firsts = new HashMap<>();
    /**
     * Follows the topic: each read goes on from where the last one ended, so that reading costs what was written
     * since, not the whole topic (500 jobs starting each read it all, one at a time, for their archived positions).
     */
    private KafkaConsumer<byte[], byte[]> reader;
    private long largestId = IDS_ABOVE;
    /** Why the producer can write no more (fenced, or a fatal error): then only a new runtime can change jobs. */
    private KafkaException cannotWrite;

    private KafkaJobCatalog(CatalogConnection connection, KafkaProducer<byte[], byte[]> producer, String replica) {
        this.connection = connection;
        this.replica = replica;
        this.topic = connection.topic();
        this.producer = producer;
    }

    /** The {@code transactional.id} of a replica's catalog writes on {@code topic}. */
    public static String transactionalId(String topic, String replica) {
        return topic + ".catalog." + replica;
    }

    /** Opens the catalog for a runtime named at random (a single runtime, or a test). */
    public static KafkaJobCatalog open(RuntimeConfig config) throws CatalogException {
        return open(config, "runtime-" + Long.toString(System.nanoTime(), 36));
    }

    /**
     * Opens the catalog of {@code catalog.kafka.*}: creates or checks the topic, fences older runtimes, reads the jobs.
     *
     * @throws io.inlet.config.ConfigException when the settings are missing or cannot work, naming the key
     * @throws CatalogException                when Kafka cannot be reached, refuses access or holds a misshapen topic
     */
    public static KafkaJobCatalog open(RuntimeConfig config, String replica) throws CatalogException {
        CatalogConnection connection = CatalogConnection.from(config);
        KafkaProducer<byte[], byte[]> producer = null;
        try {
            try (Admin admin = Admin.create(connection.adminConfig())) {
                CatalogTopic.ensure(admin, connection);
            }
            producer = new KafkaProducer<>(connection.producerConfig(transactionalId(connection.topic(), replica)),
                    new ByteArraySerializer(), new ByteArraySerializer());
            try {
                producer.initTransactions();
            } catch (KafkaException e) {
                String what = "the job catalog topic '" + connection.topic() + "' cannot be written with"
                        + " transactional.id '" + transactionalId(connection.topic(), replica) + "'";
                throw new CatalogException(connection.describe(what, e), e);
            }
            KafkaJobCatalog catalog = new KafkaJobCatalog(connection, producer, replica);
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
    public synchronized void insert(JobRecord job) throws CatalogException, JobIdTakenException {
        if (jobs.containsKey(job.id())) {
            throw new CatalogException("job id " + job.id() + " is taken in the job catalog topic '" + topic + "'");
        }
        long offset = write(job);
        ConsumerRecord<byte[], byte[]> first = firsts.get(job.id());
        if (first != null && first.offset() != offset) {
            JobRecord earlier;
            try {
                earlier = StoredJob.job(job.id(), first.value());
            } catch (StoredJob.NotAJob e) {
                throw new CatalogException("job id " + job.id() + " holds a record that is not a job in the job"
                        + " catalog topic '" + topic + "' at offset " + first.offset() + ": " + e.getMessage(), e);
            }
            write(earlier); // the earlier create keeps the id; this one tries the next
            throw new JobIdTakenException("job id " + job.id() + " was taken by another replica's job "
                    + earlier.db() + "." + earlier.name());
        }
        for (JobRecord other : List.copyOf(jobs.values())) {
            ConsumerRecord<byte[], byte[]> otherFirst = firsts.get(other.id());
            if (other.id() != job.id() && !other.state().isFinal() && other.db().equalsIgnoreCase(job.db())
                    && other.name().equalsIgnoreCase(job.name()) && otherFirst != null && otherFirst.offset() < offset) {
                send(StoredJob.key(job.id()), null, "withdrawing job id " + job.id());
                jobs.remove(job.id());
                throw new JobException("routine load job " + job.db() + "." + job.name() + " already exists (id "
                        + other.id() + ", created through another replica); STOP it first or choose another name");
            }
        }
    }

    @Override
    public synchronized void update(JobRecord job) throws CatalogException {
        if (!jobs.containsKey(job.id())) {
            all(); // created through another replica since this one last read
        }
        if (!jobs.containsKey(job.id())) {
            throw new CatalogException("job id " + job.id() + " is not in the job catalog topic '" + topic + "'");
        }
        write(job);
    }

    /** Every job, by id, as of the topic's end when this call reads it. */
    @Override
    public synchronized List<JobRecord> all() throws CatalogException {
        readToEnd(-1);
        return List.copyOf(jobs.values());
    }

    /**
     * Reads on from where the last read ended to the topic's end as of now, and at least past offset
     * {@code mustPass}: a transaction's records become readable a moment after its commit returns. A reader that
     * fails is dropped, and the next read starts again from the topic's start.
     */
    private void readToEnd(long mustPass) throws CatalogException {
        TopicPartition partition = new TopicPartition(topic, 0);
        try {
            if (reader == null) {
                reader = new KafkaConsumer<>(connection.consumerConfig(), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
                reader.assign(List.of(partition));
                reader.seekToBeginning(List.of(partition));
                jobs.clear();
                archived.clear();
                firsts.clear();
            }
            long end = reader.endOffsets(List.of(partition)).get(partition); // read_committed: the last stable offset
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (end <= mustPass && System.nanoTime() < deadline) {
                Thread.sleep(10);
                end = reader.endOffsets(List.of(partition)).get(partition);
            }
            while (reader.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new CatalogException("reading the job catalog topic '" + topic + "' took more than "
                            + READ_TIMEOUT.toSeconds() + " s; it stopped at offset " + reader.position(partition)
                            + " of " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
            }
        } catch (KafkaException e) {
            dropReader();
            throw new CatalogException(connection.describe("the job catalog topic '" + topic + "' cannot be read", e), e);
        } catch (InterruptedException e) {
            dropReader();
            Thread.currentThread().interrupt();
            throw new CatalogException("reading the job catalog topic '" + topic + "' was interrupted", e);
        } catch (CatalogException e) {
            dropReader();
            throw e;
        }
    }

    private void dropReader() {
        if (reader != null) {
            try {
                reader.close(Duration.ZERO);
            } catch (KafkaException ignored) {
                // dropped
            }
            reader = null;
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? "" : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
        if (key.startsWith(ARCHIVE_PREFIX)) {
            if (r.value() == null) {
                archived.remove(key);
            } else {
                archived.put(key, new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return;
        }
        try {
            long id = StoredJob.id(r.key());
            largestId = Math.max(largestId, id);
            if (r.value() == null) {
                jobs.remove(id);
                firsts.remove(id);
            } else {
                jobs.put(id, StoredJob.job(id, r.value()));
                firsts.putIfAbsent(id, r);
            }
        } catch (StoredJob.NotAJob e) {
            log.warn("job catalog topic '{}': skipped the record at partition {}, offset {}: {}", r.topic(),
                    r.partition(), r.offset(), e.getMessage());
        }
    }

    private static final String ARCHIVE_PREFIX = "positions/";

    @Override
    public synchronized void save(long jobId, String partition, String position) throws CatalogException {
        String key = ARCHIVE_PREFIX + jobId + "/" + partition;
        long offset = send(key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                position.getBytes(java.nio.charset.StandardCharsets.UTF_8), "archiving a position of job id " + jobId);
        readToEnd(offset); // readable by the replica that takes the partition over
        archived.put(key, position);
    }

    @Override
    public synchronized Map<String, String> load(long jobId) throws CatalogException {
        all();
        String prefix = ARCHIVE_PREFIX + jobId + "/";
        Map<String, String> out = new TreeMap<>();
        archived.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /**
     * Writes the job's record and returns its offset once it is readable: a transaction's records become readable a
     * moment after its commit returns, and every replica that reads after this write must see it.
     */
    private long write(JobRecord job) throws CatalogException {
        long offset = send(StoredJob.key(job.id()), StoredJob.value(job), saving(job));
        readToEnd(offset);
        jobs.put(job.id(), job);
        largestId = Math.max(largestId, job.id());
        return offset;
    }

    /** Writes one record in a transaction of its own; returns its offset. */
    private long send(byte[] key, byte[] value, String what) throws CatalogException {
        if (cannotWrite != null) {
            throw notSaved(what, cannotWrite);
        }
        try {
            producer.beginTransaction();
            long offset = producer.send(new ProducerRecord<>(topic, 0, key, value)).get().offset();
            commit();
            return offset;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException(what + " was interrupted", e);
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            cannotWrite = e;
            throw notSaved(what, e);
        } catch (java.util.concurrent.ExecutionException | KafkaException e) {
            KafkaException cause = e instanceof KafkaException k ? k
                    : e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
            try {
                producer.abortTransaction();
            } catch (KafkaException fatal) {
                cannotWrite = fenced(fatal) ? fatal : cause;
                throw notSaved(what, cannotWrite);
            }
            throw new CatalogException(connection.describe(what + " failed", cause), cause);
        }
    }

    private CatalogException notSaved(String what, KafkaException e) {
        if (fenced(e)) {
            return new CatalogFencedException(what + " failed: another Inlet runtime opened the job catalog"
                    + " under this runtime's name (transactional.id '" + transactionalId(topic, replica) + "'); this"
                    + " runtime can no longer change jobs: give each replica its own name", e);
        }
        return new CatalogException(connection.describe(what + " failed", e) + "; the catalog's producer"
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
        dropReader();
        producer.close(Duration.ofSeconds(5));
        connection.close();
    }
}
