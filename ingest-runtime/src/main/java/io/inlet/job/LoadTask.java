package io.inlet.job;

import io.inlet.expr.CurrentMessage;
import io.inlet.format.Decoder;
import io.inlet.format.RowConsumer;
import io.inlet.sink.CommittedPosition;
import io.inlet.sink.LoadCounts;
import io.inlet.sink.LoadSession;
import io.inlet.sink.RetryLaterException;
import io.inlet.sink.SessionSpec;
import io.inlet.sink.PartitionCommit;
import io.inlet.source.kafka.KafkaErrors;
import io.inlet.transform.RowMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One task of a job: reads its share of the source's partitions (Kafka partitions, Kinesis shards) and loads them in
 * batches, each batch committed in one warehouse transaction together with the positions it advances. The batch
 * logic is here; what differs between sources (polling, reading one poll's records, a partition's position after a
 * batch) is {@link KafkaLoadTask}'s and {@link KinesisLoadTask}'s. Positions are strings, as the position stores
 * keep them: a Kafka task turns its offsets into strings once per partition and batch, never per record.
 *
 * @param <R> one poll's records A batch ends at
 * max_batch_interval, max_batch_rows or max_batch_size, or as soon as the task has caught up
 * with the topic. A task loads on the runtime's {@link TaskSlots}, one batch a turn; between
 * batches it holds no thread and no warehouse connection.
 */
abstract class LoadTask<R> {

    private static final Logger log = LoggerFactory.getLogger(LoadTask.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** Attempts at a batch the warehouse could not take before the job pauses (and resumes by itself later). */
    private static final int MAX_RETRIES = 3;
    private static final long RETRY_BASE_MS = 1000;
    /** The most the batch interval grows under version pressure: this many times the configured one. */
    private static final int MAX_SCALE = 16;
    private static final long FIRST_BATCH_ROWS = 10_000;

    /** Counters of one partition within the open batch, and where it ends (the source's own field). */
    static final class PartitionBatch {
        /** Kafka: the offset after the batch's last record. */
        long nextOffset = -1;
        /** Kinesis: the sequence number of the batch's last record. */
        String lastSequence;
        long maxTimestamp = -1;
        long total;
        long loaded;
        long errors;
        long unselected;
        long bytes;
    }

    /** Takes the decoded rows of the current message: maps each, appends it or counts why not. One per task. */
    static final class RowSink implements RowConsumer {
        private final RowMapper mapper;
        private final LoadSession session;
        private final Object[] target;
        private final ErrorLog errors;
        private PartitionBatch pb;
        private String partition;
        private long offset;
        private byte[] message;

        RowSink(RowMapper mapper, LoadSession session, Object[] target, ErrorLog errors) {
            this.mapper = mapper;
            this.session = session;
            this.target = target;
            this.errors = errors;
        }

        /** The message whose rows follow ({@code offset} -1 where the source has none that fits a long). */
        void start(PartitionBatch batch, String partitionName, long messageOffset, byte[] value) {
            pb = batch;
            partition = partitionName;
            offset = messageOffset;
            message = value;
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
                    errors.add(partition, offset, mapper.lastError(), message);
                }
            }
        }
    }

    /** What a batch adds to the job's statistics once it is committed. */
    private record BatchTotals(Map<String, String> ends, long total, long loaded, long errors, long unselected,
                               long bytes, long newest, long startMillis) {}

    /** A failure of the warehouse while rows stream into it, carried out of the decoder callback. */
    static final class SinkFailure extends RuntimeException {
        SinkFailure(Exception cause) {
            super(cause);
        }
    }

    /** Where a task is between its turns on the runtime's {@link TaskSlots}. */
    private enum Turn {
        /** Waits for records in its lane. */
        PARKED,
        /** Waits out a retry; records do not wake it. */
        WAITING,
        /** In the slots' queue. */
        QUEUED,
        RUNNING,
        /** Stopped or failed: no turn follows. */
        DONE
    }

    /** What follows a turn. */
    private enum Next { AGAIN, PARK, END }

    /**
     * What a session's batches share: the mapping, the decoder, the rows' way into the session and whether the
     * mapping reads the records' metadata.
     */
    record Pipeline(Decoder decoder, RowSink rows, ErrorWindow window, String noNewData, boolean metadata) {}

    final String id;
    /** The task's partitions by name: Kafka partition numbers, Kinesis shard ids. */
    final List<String> partitions;
    final RoutineLoadJob job;
    private final long generation;
    private final TaskSlots slots;
    private final AtomicReference<Turn> turn = new AtomicReference<>(Turn.QUEUED);
    private final CountDownLatch done = new CountDownLatch(1);
    /** Open from the task's first turn until a failure or its stop; it holds no warehouse connection between batches. */
    private LoadSession session;
    private Pipeline pipeline;
    private boolean idleNoted = true;
    /** Whether a session was opened: each later one follows a failed one and starts from the settled positions. */
    private boolean started;
    private volatile boolean stopping;
    private volatile String message = "";
    /** Messages read into the open batch, not yet committed (for progress displays). */
    private volatile long readInBatch;
    private volatile Instant lastScheduled = Instant.now();
    private volatile Instant executeStart;
    final Instant createTime = Instant.now();
    private final Map<String, String> position = new HashMap<>();
    private final Map<String, PartitionBatch> batch = new HashMap<>();
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
     * @param starts     the task's partitions and where each starts; the source is positioned there
     */
    LoadTask(RoutineLoadJob job, long assignment, int index, Map<String, String> starts, long generation,
             TaskSlots slots) {
        this.job = job;
        this.partitions = List.copyOf(starts.keySet());
        this.generation = generation;
        this.slots = slots;
        this.position.putAll(starts);
        this.id = java.util.UUID.nameUUIDFromBytes((job.id() + "/" + job.replica() + "/" + assignment + "/" + index)
                .getBytes()).toString();
    }

    // ---- the source's part

    /** The records waiting now, else an empty poll at once. */
    abstract R poll() throws Exception;

    /** The next records, waiting up to {@code waitMs}. */
    abstract R next(long waitMs) throws Exception;

    abstract boolean isEmpty(R records);

    abstract int count(R records);

    /** Whether records (or a failure) wait for the task. */
    abstract boolean hasRecords();

    /** {@code wake} is told whenever records arrive for the task. */
    abstract void onRecords(Runnable wake);

    /** Reads again from {@code positions}: what was read beyond them is dropped. */
    abstract void rewind(Map<String, String> positions);

    /**
     * Adds one poll's records to the batch, decoded, or forwarded unparsed when there is no decoder; returns their
     * bytes. Kept apart from the batch loop: the compiler turns this small method into the task's hot code early,
     * instead of recompiling the whole loop, with everything it inlines, again and again while the job loads.
     */
    abstract long read(R records, Map<String, PartitionBatch> batch, Pipeline pipeline, LoadSession session)
            throws Exception;

    /** Where a partition resumes after the batch's records. */
    abstract String end(PartitionBatch pb);

    /** The message of a task with nothing new to read. */
    abstract String noNewData(long batchIntervalSeconds);

    /** A new session's metadata of the current record, for a mapping that reads it. */
    abstract io.inlet.expr.MessageMetadata metadata();

    /** After a read: the source's view of the lag, where the job takes it from the tasks. */
    void observeLag() {
    }

    /** After a commit: the positions {@code ends} are committed. */
    void committed(Map<String, String> ends) {
    }

    // ---- the batch loop

    /** Queues the task's first turn; later ones follow whenever its source has records. */
    void start() {
        onRecords(this::wake);
        slots.submit(this::runTurn);
    }

    /** Records arrived in the lane: a parked task queues for a turn. */
    private void wake() {
        queueFrom(Turn.PARKED);
    }

    /** Queues the task for a turn if it is still {@code from}: what woke it may have raced a stop or another wake. */
    private void queueFrom(Turn from) {
        if (turn.compareAndSet(from, Turn.QUEUED)) {
            slots.submit(this::runTurn);
        }
    }

    /**
     * Stops the task and waits until it has: a batch in flight notices within one poll interval and rolls back; the
     * session then closes (writing down what it settled).
     */
    void stop() {
        stopping = true;
        while (true) {
            Turn t = turn.get();
            if (t == Turn.DONE) {
                break;
            }
            if (t != Turn.RUNNING && turn.compareAndSet(t, Turn.DONE)) {
                end(); // not on a slot now, and no turn will run: the session closes here
                break;
            }
            if (t == Turn.RUNNING) {
                awaitDone();
                break;
            }
        }
    }

    private void awaitDone() {
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                log.warn("task {} of job {} did not stop within 60 s", id, job.record().name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String message() {
        return message;
    }

    /** Whether the task waits for records with nothing in flight. */
    boolean parked() {
        return turn.get() == Turn.PARKED && readInBatch == 0;
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

    /** The partitions' committed positions (the starts before a first commit). */
    synchronized Map<String, String> positions() {
        return new LinkedHashMap<>(position);
    }

    /** One turn on a slot: at most one batch, then the task queues again, parks until records arrive, or ends. */
    private void runTurn() {
        if (!turn.compareAndSet(Turn.QUEUED, Turn.RUNNING)) {
            return; // stopped while queued
        }
        Next next;
        try {
            next = stopping ? Next.END : turnOnce();
        } catch (RetryLaterException e) {
            closeSession();
            next = retryLater(e);
            if (next == null) {
                return; // waits out the retry
            }
        } catch (Exception e) {
            closeSession();
            fail(e);
            next = Next.END;
        }
        if (next == Next.AGAIN && !stopping) {
            turn.set(Turn.QUEUED);
            slots.submit(this::runTurn);
        } else if (next == Next.PARK && !stopping) {
            turn.set(Turn.PARKED);
            if (stopping && turn.compareAndSet(Turn.PARKED, Turn.DONE)) {
                end();
            } else if (hasRecords()) {
                wake(); // records that arrived while the turn ended
            }
        } else {
            turn.set(Turn.DONE);
            end();
        }
    }

    /** Closes the session and tells {@link #stop} the task is done. */
    private void end() {
        closeSession();
        done.countDown();
    }

    /** Waits out a failed batch off the slots (null), or ends the task when its attempts are used up. */
    private Next retryLater(RetryLaterException e) {
        retries = e.versionPressure() ? 0 : retries + 1;
        if (!e.versionPressure() && retries > MAX_RETRIES) {
            fail(e);
            return Next.END;
        }
        long waitMs = e.versionPressure() ? relieveVersionPressure(e) : RETRY_BASE_MS << (retries - 1);
        message = "retrying in " + waitMs + " ms: " + e.getMessage();
        log.warn("task {} of job {}: {}", id, job.record().name(), message);
        turn.set(Turn.WAITING);
        if (stopping && turn.compareAndSet(Turn.WAITING, Turn.DONE)) {
            end();
        } else {
            slots.after(waitMs, () -> queueFrom(Turn.WAITING));
        }
        return null;
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

    private void closeSession() {
        LoadSession s = session;
        session = null;
        pipeline = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.warn("task {} of job {}: closing its session: {}", id, job.record().name(), e.toString());
            }
        }
    }

    private Next turnOnce() throws Exception {
        if (session == null) {
            openSession();
        }
        R records = poll();
        lastScheduled = Instant.now();
        if (isEmpty(records)) {
            message = pipeline.noNewData();
            if (!idleNoted) {
                session.idle();
                idleNoted = true;
            }
            return Next.PARK;
        }
        if (!loadBatch(records)) {
            return Next.END;
        }
        idleNoted = false;
        return Next.AGAIN;
    }

    private void openSession() throws Exception {
        if (started) {
            recover();
        }
        started = true;
        countIfCommitted(uncertain);
        uncertain = null;
        JobSettings settings = job.settings();
        SessionSpec spec = new SessionSpec(job.id(), job.record().name(), generation, job.table(), settings.statement(),
                settings.properties(), settings.plan(), job.positionStore(), partitions);
        LoadSession s = job.warehouse().openSession(spec);
        CurrentMessage current = new CurrentMessage();
        RowMapper mapper = settings.newMapper(current);
        Decoder decoder = settings.plan().forward() ? null : settings.newDecoder(mapper); // null: forward unparsed
        // only a mapping that reads kafka_key(), kafka_header(...), ... has the task point it at each record
        boolean readsMetadata = mapper.readsMessageMetadata();
        current.set(readsMetadata ? metadata() : null);
        Object[] target = new Object[job.table().columns().size()];
        // built once: a string built on the task's first pass through the loop would deoptimise the compiled loop
        String noNewData = noNewData(settings.properties().maxBatchIntervalSeconds());
        ErrorWindow window = new ErrorWindow(settings.properties().maxBatchRows() * 10);
        session = s;
        pipeline = new Pipeline(decoder, new RowSink(mapper, s, target, job.errorLog()), window, noNewData,
                readsMetadata);
    }

    /**
     * After a failed batch: settles what it left (a commit with no clear outcome) and reads on from the settled
     * positions; a partition never committed starts where the task started it.
     */
    private void recover() throws Exception {
        Map<String, CommittedPosition> committed = job.positionStore().positions(partitions);
        for (String p : partitions) {
            CommittedPosition cp = committed.get(p);
            if (cp != null && cp.position() != null) {
                setPosition(p, cp.position());
            }
        }
        rewind(positions());
    }

    /** Counts a batch whose commit had no clear outcome if the recovered positions are at its end. */
    private void countIfCommitted(BatchTotals batch) {
        if (batch != null && positions().entrySet().containsAll(batch.ends().entrySet())) {
            count(batch);
        }
    }

    private synchronized void setPosition(String partition, String at) {
        position.put(partition, at);
    }

    /**
     * Loads one batch that starts with {@code records}: reads on until max_batch_interval, max_batch_rows or
     * max_batch_size, or until the partitions are caught up, then commits. False when the job paused on the
     * batch's errors; a stop rolls the batch back.
     */
    private boolean loadBatch(R records) throws Exception {
        JobSettings settings = job.settings();
        LoadSession s = session;
        Pipeline p = pipeline;
        long intervalMs = settings.properties().maxBatchIntervalSeconds() * 1000 * scale;
        long maxRows = Math.min(settings.properties().maxBatchRows() * scale, rampRows);
        long maxBytes = settings.properties().maxBatchSizeBytes() * scale;
        s.begin(positions());
        long batchStart = System.currentTimeMillis();
        executeStart = Instant.now();
        message = "";
        batch.clear();
        long batchRows = 0;
        long batchBytes = 0;
        while (true) {
            batchBytes += read(records, batch, p, s);
            batchRows += count(records);
            readInBatch = batchRows;
            if (batchRows >= maxRows || batchBytes >= maxBytes || System.currentTimeMillis() - batchStart >= intervalMs) {
                break;
            }
            long waitMs = Math.max(1, Math.min(IDLE_POLL.toMillis(), batchStart + intervalMs - System.currentTimeMillis()));
            records = next(waitMs);
            lastScheduled = Instant.now();
            observeLag();
            if (stopping) {
                s.rollback();
                readInBatch = 0;
                return true;
            }
            if (isEmpty(records)) {
                break; // caught up, or nothing arrived within the poll interval
            }
        }
        boolean committed = finish(s, batch, batchStart, p.window(), settings);
        readInBatch = 0;
        return committed;
    }

    /** Commits the batch, or rolls it back and pauses the job when it crosses an error threshold. */
    private boolean finish(LoadSession session, Map<String, PartitionBatch> batch,
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
        Map<String, String> ends = new HashMap<>();
        for (Map.Entry<String, PartitionBatch> e : batch.entrySet()) {
            PartitionBatch pb = e.getValue();
            String end = end(pb);
            commits.add(new PartitionCommit(e.getKey(), end, pb.total, pb.loaded, pb.errors, pb.unselected,
                    pb.bytes));
            ends.put(e.getKey(), end);
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
        committed(ends);
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
    private void apportion(LoadCounts counted, Map<String, PartitionBatch> batch) {
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
