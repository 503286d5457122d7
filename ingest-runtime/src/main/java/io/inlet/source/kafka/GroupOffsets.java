package io.inlet.source.kafka;

import io.inlet.sink.FencedException;
import io.inlet.sink.RetryLaterException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.ProducerFencedException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A job's consumer-group offsets with their commit metadata, as a durable record of its positions:
 * written in Kafka transactions by this replica's transactional producer, each carrying the generation
 * of this replica's group member ({@link #fence}), so that the group coordinator refuses the writes of
 * a member that lost its partitions in a rebalance (KIP-447); read back only once stable.
 */
public final class GroupOffsets implements AutoCloseable {

    private final KafkaSource source;
    private KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> reader;
    private volatile ConsumerGroupMetadata group;

    private GroupOffsets(KafkaSource source, KafkaProducer<byte[], byte[]> producer,
                         KafkaConsumer<byte[], byte[]> reader) {
        this.source = source;
        this.producer = producer;
        this.reader = reader;
        this.group = new ConsumerGroupMetadata(source.groupId());
    }

    /**
     * Opens this replica's writer of the job's offsets (its initialisation aborts what an earlier process of the
     * same replica name left open). Until {@link #fence} its writes carry no generation, which the coordinator
     * takes only while the group has no member (a paused job: ALTER).
     */
    public static GroupOffsets open(KafkaSource source) throws SourceException {
        KafkaProducer<byte[], byte[]> producer = source.newOffsetProducer();
        KafkaConsumer<byte[], byte[]> reader = null;
        try {
            producer.initTransactions();
            reader = source.newConsumer("positions");
            return new GroupOffsets(source, producer, reader);
        } catch (RuntimeException | SourceException e) {
            producer.close(Duration.ZERO);
            if (reader != null) {
                reader.close(Duration.ZERO);
            }
            if (e instanceof SourceException se) {
                throw se;
            }
            throw KafkaErrors.describe("failed to take over the positions of consumer group '" + source.groupId()
                    + "' (transactional id " + source.transactionalId() + ")", e, source.mskIam());
        }
    }

    /** From now on writes carry {@code member}'s generation: they fail once a rebalance moved on from it. */
    public void fence(ConsumerGroupMetadata member) {
        group = member;
    }

    /** The committed offset and metadata of each partition that has one. */
    public synchronized Map<Integer, OffsetAndMetadata> read(Collection<Integer> partitions) throws SourceException {
        Set<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(source.topic(), p))
                .collect(Collectors.toSet());
        try {
            Map<Integer, OffsetAndMetadata> out = new LinkedHashMap<>();
            reader.committed(tps, Duration.ofSeconds(30)).forEach((tp, om) -> {
                if (om != null) {
                    out.put(tp.partition(), om);
                }
            });
            return out;
        } catch (RuntimeException e) {
            throw KafkaErrors.describe("failed to read the committed offsets of consumer group '" + source.groupId()
                    + "'", e, source.mskIam());
        }
    }

    /** Writes the offsets and their metadata in one transaction: all of them or none. */
    public synchronized void write(Map<Integer, OffsetAndMetadata> offsets)
            throws FencedException, SourceException, RetryLaterException {
        Map<TopicPartition, OffsetAndMetadata> tps = new HashMap<>();
        offsets.forEach((p, om) -> tps.put(new TopicPartition(source.topic(), p), om));
        try {
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(tps, group);
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            // the transactional id is this replica's own: the coordinator aborted a transaction that outlived its
            // timeout (a long pause of this process) and bumped the epoch; a new writer goes on
            reopen();
            throw new RetryLaterException("the offset transaction of consumer group '" + source.groupId()
                    + "' outlived its timeout and was aborted (" + e.getMessage() + "); writing again", false, e);
        } catch (CommitFailedException | RebalanceInProgressException | IllegalGenerationException
                 | UnknownMemberIdException e) {
            abort();
            throw new FencedException("the group coordinator refused positions of generation " + group.generationId()
                    + " of consumer group '" + source.groupId() + "': a rebalance moved the partitions on ("
                    + e.getMessage() + ")");
        } catch (KafkaException e) {
            abort();
            throw KafkaErrors.describe("failed to record the positions in consumer group '" + source.groupId() + "'",
                    e, source.mskIam());
        }
    }

    private void reopen() throws SourceException {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
            // fenced already
        }
        producer = source.newOffsetProducer();
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            throw KafkaErrors.describe("failed to open the positions writer of consumer group '" + source.groupId()
                    + "' again", e, source.mskIam());
        }
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException ignored) {
            // the transaction times out on the broker
        }
    }

    @Override
    public synchronized void close() {
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException ignored) {
            // closing
        }
        try {
            reader.close(Duration.ofSeconds(5));
        } catch (RuntimeException ignored) {
            // closing
        }
    }
}
