package io.inlet.job;

import io.inlet.expr.CurrentMessage;
import io.inlet.format.DecodeException;
import io.inlet.format.Decoder;
import io.inlet.format.RowConsumer;
import io.inlet.sink.CommittedPosition;
import io.inlet.sink.LoadCounts;
import io.inlet.sink.LoadSession;
import io.inlet.sink.RetryLaterException;
import io.inlet.sink.SessionSpec;
import io.inlet.sink.PartitionCommit;
import io.inlet.source.kafka.KafkaErrors;
import io.inlet.source.kafka.GroupMember;
import io.inlet.source.kafka.KafkaRecordMetadata;
import io.inlet.transform.RowMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task of a job: reads its share of the partitions and loads them in batches, each batch
 * committed in one warehouse transaction together with the offsets it advances. A batch ends at
 * max_batch_interval, max_batch_rows or max_batch_size, or as soon as the task has caught up
 * with the topic.
 */
final class LoadTask implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LoadTask.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** Attempts at a batch the warehouse could not take before the job pauses (and resumes by itself later). */
    private static final int MAX_RETRIES = 3;
    private static final long RETRY_BASE_MS = 1000;
    /** The most the batch interval grows under version pressure: this many times the configured one. */
    private static final int MAX_SCALE = 16;
    private static final long FIRST_BATCH_ROWS = 10_000;

    /** Counters of one partition within the open batch. */
    private static final class PartitionBatch {
        long nextOffset = -1;
        long maxTimestamp = -1;
        long total;
        long loaded;
        long errors;
        long unselected;
        long bytes;
    }

    /** Takes the decoded rows of the current message: maps each, appends it or counts why not. One per task. */
    private final class RowSink implements RowConsumer {
        private final RowMapper mapper;
        private final LoadSession session;
        private final Object[] target;
        private PartitionBatch pb;
        private String partition;
        private long offset;
        private byte[] message;
        /** Null unless the mapping reads the record's metadata. */
        private final KafkaRecordMetadata metadata;

        RowSink(RowMapper mapper, LoadSession session, Object[] target, KafkaRecordMetadata metadata) {
            this.mapper = mapper;
            this.session = session;
            this.target = target;
            this.metadata = metadata;
        }

        void start(PartitionBatch batch, String partitionName, ConsumerRecord<byte[], byte[]> record) {
            pb = batch;
            partition = partitionName;
            offset = record.offset();
            message = record.value();
            if (metadata != null) {
                metadata.of(record);
            }
        }

        @Override
        public void accept(Object[] row) {
            pb.total++;
            switch (mapper.map(row, target)) {
                case LOADED -> {
                    try {
                        session.append(target);
                    } catch (Exception e) {
                        throw new SinkFailure(e);
                    }
                    pb.loaded++;
                }
                case UNSELECTED -> pb.unselected++;
                case ERROR -> {
                    pb.errors++;
                    job.errorLog().add(partition, offset, mapper.lastError(), message);
                }
            }
        }
    }

    /** What a batch adds to the job's statistics once it is committed. */
    private record BatchTotals(Map<Integer, Long> ends, long total, long loaded, long errors, long unselected,
                               long bytes, long newest, long startMillis) {}

    /** A failure of the warehouse while rows stream into it, carried out of the decoder callback. */
    private static final class SinkFailure extends RuntimeException {
        SinkFailure(Exception cause) {
            super(cause);
        }
    }

    final String id;
    final List<Integer> partitions;
    private final RoutineLoadJob job;
    private final long generation;
    private final GroupMember.Lane lane;
    /** Whether a run has begun: each later run follows a failed one and starts from the settled positions. */
    private boolean started;
    private volatile boolean stopping;
    private volatile String message = "";
    /** Messages read into the open batch, not yet committed (for progress displays). */
    private volatile long readInBatch;
    private volatile Instant lastScheduled = Instant.now();
    private volatile Instant executeStart;
    final Instant createTime = Instant.now();
    private final Map<Integer, Long> position = new HashMap<>();
    /**
     * The row cap of the next batch while a task starts: small at first, so that the first rows are
     * visible soon, then growing fourfold with each commit up to max_batch_rows.
     */
    private long rampRows = FIRST_BATCH_ROWS;
    /** The factor on the batch interval and caps, raised while the warehouse reports version pressure. */
    private volatile int scale = 1;
    /** Failed attempts at the current batch; a committed batch starts the count again. */
    private int retries;
    /**
     * A batch whose commit failed without a clear outcome: the recovery before the next attempt
     * commits or aborts it, and the positions it settles on tell which.
     */
    private BatchTotals uncertain;

    /**
     * @param assignment which of this runtime's assignments of the job's partitions the task belongs to
     * @param starts     the task's partitions and where each starts; the lane is positioned there
     */
    LoadTask(RoutineLoadJob job, long assignment, int index, Map<Integer, Long> starts, long generation,
             GroupMember.Lane lane) {
        this.job = job;
        this.partitions = List.copyOf(starts.keySet());
        this.generation = generation;
        this.lane = lane;
        this.position.putAll(starts);
        this.id = java.util.UUID.nameUUIDFromBytes((job.id() + "/" + job.replica() + "/" + assignment + "/" + index)
                .getBytes()).toString();
    }

    /** The task notices within one poll interval, rolls back an open batch and exits. */
    void stop() {
        stopping = true;
    }

    String message() {
        return message;
    }

    long readInBatch() {
        return readInBatch;
    }

    Instant lastScheduled() {
        return lastScheduled;
    }

    Instant executeStart() {
        return executeStart;
    }

    synchronized Map<Integer, Long> positions() {
        return new LinkedHashMap<>(position);
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                runOnce();
                return;
            } catch (RetryLaterException e) {
                retries = e.versionPressure() ? 0 : retries + 1;
                if (!e.versionPressure() && retries > MAX_RETRIES) {
                    fail(e);
                    return;
                }
                long waitMs = e.versionPressure() ? relieveVersionPressure(e) : RETRY_BASE_MS << (retries - 1);
                message = "retrying in " + waitMs + " ms: " + e.getMessage();
                log.warn("task {} of job {}: {}", id, job.record().name(), message);
                sleep(waitMs);
            } catch (Exception e) {
                fail(e);
                return;
            }
        }
    }

    private void fail(Exception e) {
        if (!stopping) {
            job.taskFailed(this, e);
        }
    }

    /** Fewer, larger loads: doubles the batch interval (and its row and byte caps), up to a limit. */
    private long relieveVersionPressure(RetryLaterException e) {
        long configured = job.settings().properties().maxBatchIntervalSeconds() * 1000;
        scale = Math.min(scale * 2, MAX_SCALE);
        job.batchIntervalRaised(this, configured * scale, e.getMessage());
        return Math.min(configured * scale, 30_000);
    }

    private void sleep(long millis) {
        long until = System.currentTimeMillis() + millis;
        while (!stopping && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(200, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void runOnce() throws Exception {
        if (started) {
            recover();
        }
        started = true;
        countIfCommitted(uncertain);
        uncertain = null;
        List<String> names = partitions.stream().map(String::valueOf).toList();
        JobSettings settings = job.settings();
        SessionSpec spec = new SessionSpec(job.id(), job.record().name(), generation, job.table(), settings.statement(),
                settings.properties(), settings.plan(), job.positionStore(), names);
        try (LoadSession session = job.warehouse().openSession(spec)) {
            loop(session);
        }
    }

    /**
     * After a failed batch: settles what it left (a commit with no clear outcome) and reads on from the settled
     * positions; a partition never committed starts where the task started it.
     */
    private void recover() throws Exception {
        Map<String, CommittedPosition> committed = job.positionStore()
                .positions(partitions.stream().map(String::valueOf).toList());
        for (Integer p : partitions) {
            CommittedPosition cp = committed.get(String.valueOf(p));
            if (cp != null && cp.position() != null) {
                setPosition(p, Long.parseLong(cp.position()));
            }
        }
        lane.rewind(positions());
    }

    /** Counts a batch whose commit had no clear outcome if the recovered positions are at its end. */
    private void countIfCommitted(BatchTotals batch) {
        if (batch != null && positions().entrySet().containsAll(batch.ends().entrySet())) {
            count(batch);
        }
    }

    private synchronized void setPosition(int partition, long offset) {
        position.put(partition, offset);
    }

    private synchronized Map<String, String> positionNames() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Integer p : partitions) {
            out.put(String.valueOf(p), String.valueOf(position.get(p)));
        }
        return out;
    }

    private void loop(LoadSession session) throws Exception {
        JobSettings settings = job.settings();
        CurrentMessage current = new CurrentMessage();
        RowMapper mapper = settings.newMapper(current);
        Decoder decoder = settings.plan().forward() ? null : settings.newDecoder(mapper); // null: forward unparsed
        // only a mapping that reads kafka_key(), kafka_header(...), ... has the task point it at each record
        KafkaRecordMetadata metadata = mapper.readsMessageMetadata() ? new KafkaRecordMetadata() : null;
        current.set(metadata);
        Object[] target = new Object[job.table().columns().size()];
        // built once: a string built on the task's first pass through the loop would deoptimise the compiled loop
        String noNewData = "there is no new data in kafka, wait for " + settings.properties().maxBatchIntervalSeconds()
                + " seconds to schedule again";
        ErrorWindow window = new ErrorWindow(settings.properties().maxBatchRows() * 10);
        RowSink rows = new RowSink(mapper, session, target, metadata);

        Map<Integer, PartitionBatch> batch = new HashMap<>();
        boolean open = false;
        long batchStart = 0;
        long batchRows = 0;
        long batchBytes = 0;
        boolean idleNoted = true;
        while (!stopping) {
            long intervalMs = settings.properties().maxBatchIntervalSeconds() * 1000 * scale;
            long maxRows = Math.min(settings.properties().maxBatchRows() * scale, rampRows);
            long maxBytes = settings.properties().maxBatchSizeBytes() * scale;
            long waitMs = open ? Math.max(1, Math.min(IDLE_POLL.toMillis(), batchStart + intervalMs - System.currentTimeMillis()))
                    : IDLE_POLL.toMillis();
            ConsumerRecords<byte[], byte[]> records = lane.next(waitMs);
            lastScheduled = Instant.now();
            GroupMember member = job.member();
            if (member != null) {
                job.observeLag(member.lag());
            }
            if (records.isEmpty()) {
                if (!open) {
                    message = noNewData;
                    if (!idleNoted) {
                        session.idle();
                        idleNoted = true;
                    }
                    continue;
                }
            } else {
                if (!open) {
                    session.begin(positionNames());
                    open = true;
                    batchStart = System.currentTimeMillis();
                    executeStart = Instant.now();
                    message = "";
                }
                batchBytes += read(records, batch, decoder, session, rows);
                batchRows += records.count();
                readInBatch = batchRows;
            }
            boolean due = records.isEmpty() || batchRows >= maxRows || batchBytes >= maxBytes
                    || System.currentTimeMillis() - batchStart >= intervalMs;
            if (open && due) {
                if (!finish(session, batch, batchStart, window, settings)) {
                    return;
                }
                idleNoted = false;
                open = false;
                batch.clear();
                batchRows = 0;
                readInBatch = 0;
                batchBytes = 0;
            }
        }
        if (open) {
            session.rollback();
        }
    }

    /**
     * Adds one poll's records to the batch, decoded, or forwarded unparsed when there is no decoder; returns their
     * bytes.
     * Kept apart from {@link #loop}: the compiler turns this small method into the task's hot code early, instead
     * of recompiling the whole loop, with everything it inlines, again and again while the job loads.
     */
    private long read(ConsumerRecords<byte[], byte[]> records, Map<Integer, PartitionBatch> batch, Decoder decoder,
                      LoadSession session, RowSink rows) throws Exception {
        long bytes = 0;
        for (TopicPartition tp : records.partitions()) {
            PartitionBatch pb = batch.computeIfAbsent(tp.partition(), k -> new PartitionBatch());
            String partition = String.valueOf(tp.partition());
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                byte[] value = r.value();
                int size = value == null ? 0 : value.length;
                pb.bytes += size;
                bytes += size;
                pb.nextOffset = r.offset() + 1;
                if (r.timestamp() > pb.maxTimestamp) {
                    pb.maxTimestamp = r.timestamp();
                }
                if (value == null) {
                    pb.total++;
                    pb.errors++;
                    job.errorLog().add(partition, r.offset(), "the message has no value", null);
                    continue;
                }
                try {
                    if (decoder == null) {
                        session.appendMessage(value);
                        pb.total++;
                        pb.loaded++;
                    } else {
                        rows.start(pb, partition, r);
                        decoder.decode(value, rows);
                    }
                } catch (DecodeException e) {
                    pb.total++;
                    pb.errors++;
                    job.errorLog().add(partition, r.offset(), e.reason(), value);
                } catch (SinkFailure e) {
                    throw (Exception) e.getCause();
                }
            }
        }
        return bytes;
    }

    /** Commits the batch, or rolls it back and pauses the job when it crosses an error threshold. */
    private boolean finish(LoadSession session, Map<Integer, PartitionBatch> batch,
                           long batchStart, ErrorWindow window, JobSettings settings) throws Exception {
        LoadCounts counted = session.finishData();
        if (counted != null) {
            apportion(counted, batch);
        }
        long total = 0, loaded = 0, errors = 0, unselected = 0, bytes = 0, newest = -1;
        for (PartitionBatch pb : batch.values()) {
            newest = Math.max(newest, pb.maxTimestamp);
            total += pb.total;
            loaded += pb.loaded;
            errors += pb.errors;
            unselected += pb.unselected;
            bytes += pb.bytes;
        }
        String breach = window.check(total, errors, settings.properties().maxErrorNumber(),
                settings.properties().maxFilterRatio(), unselected);
        if (breach != null) {
            session.rollback();
            job.statistics().aborted();
            job.pauseForDataQuality(breach + "; sample error: " + job.errorLog().lastReason());
            return false;
        }
        List<PartitionCommit> commits = new ArrayList<>();
        Map<Integer, Long> ends = new HashMap<>();
        for (Map.Entry<Integer, PartitionBatch> e : batch.entrySet()) {
            PartitionBatch pb = e.getValue();
            commits.add(new PartitionCommit(String.valueOf(e.getKey()), String.valueOf(pb.nextOffset), pb.total,
                    pb.loaded, pb.errors, pb.unselected, pb.bytes));
            ends.put(e.getKey(), pb.nextOffset);
        }
        long commitStart = System.currentTimeMillis();
        BatchTotals totals = new BatchTotals(ends, total, loaded, errors, unselected, bytes, newest, batchStart);
        try {
            session.commit(commits);
        } catch (RetryLaterException e) {
            uncertain = totals;
            throw e;
        }
        retries = 0;
        rampRows = Math.min(rampRows * 4, Long.MAX_VALUE / 4);
        if (scale > 1) {
            scale = Math.max(1, scale / 2); // a batch went in: ease back towards the configured interval
            job.batchIntervalRaised(this, settings.properties().maxBatchIntervalSeconds() * 1000 * scale, null);
        }
        if (log.isDebugEnabled()) {
            log.debug("task {} committed {} rows ({} loaded, {} bytes) read in {} ms, commit took {} ms", id, total,
                    loaded, bytes, commitStart - batchStart, System.currentTimeMillis() - commitStart);
        }
        ends.forEach(this::setPosition);
        count(totals);
        GroupMember member = job.member();
        if (!job.positionStore().ownsGroupOffsets() && member != null) {
            Map<TopicPartition, OffsetAndMetadata> mirrored = new HashMap<>();
            ends.forEach((p, o) -> mirrored.put(new TopicPartition(job.source().topic(), p), new OffsetAndMetadata(o)));
            member.commitAsync(mirrored);
        }
        return true;
    }

    private void count(BatchTotals b) {
        job.statistics().committed(b.total(), b.loaded(), b.errors(), b.unselected(), b.bytes(),
                System.currentTimeMillis() - b.startMillis());
        job.committed();
        if (b.newest() >= 0) {
            job.observeFreshness(b.newest());
        }
    }

    /**
     * Spreads the warehouse's counts of a batch it parsed over the batch's partitions, in proportion
     * to the messages (or rows) each sent; what Inlet refused itself stays counted as errors, and the
     * rows its own WHERE left out (a job decoded in Inlet) as unselected.
     */
    private void apportion(LoadCounts counted, Map<Integer, PartitionBatch> batch) {
        List<PartitionBatch> parts = new ArrayList<>(batch.values());
        long[] weights = new long[parts.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = parts.get(i).loaded; // messages forwarded
        }
        long[] total = Apportion.split(counted.totalRows(), weights);
        long[] loaded = Apportion.split(counted.loadedRows(), weights);
        long[] filtered = Apportion.split(counted.filteredRows(), weights);
        long[] unselected = Apportion.split(counted.unselectedRows(), weights);
        for (int i = 0; i < weights.length; i++) {
            PartitionBatch pb = parts.get(i);
            long refused = pb.errors;
            long leftOut = pb.unselected;
            pb.total = total[i] + refused + leftOut;
            pb.loaded = loaded[i];
            pb.errors = filtered[i] + refused;
            pb.unselected = unselected[i] + leftOut;
        }
        if (counted.errorUrl() != null && !counted.errorUrl().isEmpty()) {
            job.warehouseErrorUrl(counted.errorUrl());
        }
    }

    /** Surfaces a source failure as the message users act on. */
    static Exception describe(Exception e) {
        if (e instanceof org.apache.kafka.common.KafkaException) {
            return KafkaErrors.describe("the Kafka consumer failed", e);
        }
        return e;
    }
}
