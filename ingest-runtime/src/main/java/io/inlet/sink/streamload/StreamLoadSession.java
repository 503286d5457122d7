package io.inlet.sink.streamload;

import io.inlet.format.DecodeException;
import io.inlet.sink.FencedException;
import io.inlet.sink.LoadCounts;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.RetryLaterException;
import io.inlet.source.kafka.SourceException;
import io.inlet.streamload.LabelState;
import io.inlet.streamload.StreamLoadClient;
import io.inlet.streamload.StreamLoadException;
import io.inlet.streamload.StreamLoadResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One task's batches over Stream Load, each a prepared transaction under the label of its start
 * positions: begin (announcing the label if it is new), stream the messages (or Inlet's rows as
 * JSON) into a load request as they are read, which the warehouse prepares once the batch ends,
 * record the intent with the batch's end in the consumer group, then commit. The request runs on
 * a sender thread of the warehouse, so that sending overlaps reading.
 */
final class StreamLoadSession implements LoadSession {

    private static final Logger log = LoggerFactory.getLogger(StreamLoadSession.class);

    private final StreamLoadClient client;
    private final StreamLoadPositions positions;
    private final List<String> partitions;
    private final BodyFormat format;
    private final Map<String, String> headers;
    private final RowJson rowJson;
    private static final long ABORT_WAIT_SECONDS = 5;
    private static final long SETTLE_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final ExecutorService sender;
    private BodyPipe batch;
    /** The batch's load request, from its first message until {@link #finishData} has its answer. */
    private Future<StreamLoadResponse> load;
    private Map<String, String> starts;
    private String label;
    private String announced;
    private long txnId = -1;
    /** A load or prepared transaction under {@link #label} that is not committed yet. */
    private boolean pending;
    /** The latest committed batch's end is only in memory (its intent is written); see {@link #idle}. */
    private Map<String, String> unsettled;
    /** When positions were last written down without an intent (System.nanoTime). */
    private long settledAt = System.nanoTime();

    /** @param sender runs the batches' load requests; shared by the sessions of a warehouse */
    StreamLoadSession(StreamLoadClient client, StreamLoadPositions positions, List<String> partitions,
                      BodyFormat format, Map<String, String> headers, RowJson rowJson, ExecutorService sender) {
        this.client = client;
        this.positions = positions;
        this.partitions = List.copyOf(partitions);
        this.format = format;
        this.headers = headers;
        this.rowJson = rowJson;
        this.batch = new BodyPipe(format);
        this.sender = sender;
    }

    @Override
    public void begin(Map<String, String> startPositions) throws Exception {
        starts = new LinkedHashMap<>(startPositions);
        label = labelAt(starts);
        if (!label.equals(announced)) {
            positions.settle(starts, label);
            announced = label;
            unsettled = null;
        }
        freshBody();
        txnId = -1;
    }

    /** An empty body for the next batch; one whose request is still going (a rollback) is left to it. */
    private void freshBody() {
        if (load != null && !load.isDone()) {
            batch.abort();
            batch = new BodyPipe(format);
        }
        load = null;
        batch.start();
    }

    private String labelAt(Map<String, String> at) {
        return BatchLabels.of(positions.groupId(), positions.topic(), at, positions.epochs(partitions));
    }

    @Override
    public void appendMessage(byte[] message) throws Exception {
        startLoad();
        if (!format.add(message, batch)) {
            endedEarly();
        }
    }

    @Override
    public void append(Object[] row) throws Exception {
        startLoad();
        if (!rowJson.write(row, batch)) {
            endedEarly();
        }
    }

    private void startLoad() {
        if (load == null) {
            pending = true;
            BodyPipe body = batch;
            String l = label;
            load = sender.submit(() -> {
                try {
                    return client.loadPrepared(l, headers, body);
                } finally {
                    body.readerDone();
                }
            });
        }
    }

    /** The warehouse answered before the body was complete: its answer (never a success) says what to do. */
    private void endedEarly() throws Exception {
        answer();
        throw new IllegalStateException("label " + label + " was answered before its body ended");
    }

    @Override
    public LoadCounts finishData() throws Exception {
        startLoad();
        batch.finish();
        return answer();
    }

    /** Waits for the load request's answer: the warehouse's counts, or the exception that says what to do. */
    private LoadCounts answer() throws Exception {
        StreamLoadResponse r;
        try {
            r = load.get();
        } catch (ExecutionException failed) {
            rollback();
            if (failed.getCause() instanceof StreamLoadException e) {
                if (e.retryable() || e.outcomeUnknown()) {
                    throw new RetryLaterException(e.getMessage(), false, e);
                }
                throw e;
            }
            throw failed.getCause() instanceof Exception e ? e : failed;
        }
        switch (r.outcome()) {
            case SUCCESS -> {
                txnId = r.txnId();
                if (!batch.sentWhole()) { // cannot happen with a sound warehouse: never commit part of a batch
                    rollback();
                    throw new RetryLaterException("the warehouse accepted label " + label + " before its whole body"
                            + " was sent", false, null);
                }
                return new LoadCounts(r.numberTotalRows(), r.numberLoadedRows(), r.numberFilteredRows(),
                        r.numberUnselectedRows(), r.errorUrl());
            }
            case LABEL_IN_PROGRESS -> {
                // an earlier attempt (or a zombie runtime) holds the label: abort it, then load again
                rollback();
                throw new RetryLaterException("label " + label + " is held by a pending transaction; it was aborted",
                        false, null);
            }
            case VERSION_PRESSURE -> {
                rollback();
                throw new RetryLaterException(r.describeFailure(), true, null);
            }
            case FAILED_RETRYABLE -> {
                rollback();
                throw new RetryLaterException(r.describeFailure(), false, null);
            }
            case LABEL_ALREADY_LOADED -> {
                pending = false;
                throw new IllegalStateException("label " + label + " is already loaded, but Inlet never recorded the"
                        + " range it holds; the consumer group's offsets were changed outside Inlet. ALTER ROUTINE LOAD"
                        + " with kafka_offsets to say where to continue");
            }
            default -> {
                rollback();
                throw new StreamLoadException(r.describeFailure(), r.endpoint(), label, r.httpStatus(), false, false, r);
            }
        }
    }

    @Override
    public List<PartitionCommit> commit(Collection<PartitionCommit> batch) throws Exception {
        Map<String, String> ends = new LinkedHashMap<>(starts);
        for (PartitionCommit c : batch) {
            ends.put(c.partition(), c.position());
        }
        String next = labelAt(ends);
        try {
            positions.intend(starts, batch, label, txnId, next);
        } catch (FencedException e) {
            rollback();
            throw e;
        } catch (SourceException e) {
            rollback();
            throw new RetryLaterException(e.getMessage(), false, e);
        }
        try {
            LabelState state = client.commitPrepared(label, txnId);
            log.debug("label {} {}", label, state);
        } catch (StreamLoadException e) {
            // the intent is written: the recovery of the retry commits the label, or reloads if it was aborted
            pending = false;
            throw new RetryLaterException("commit of label " + label + ": " + e.getMessage(), false, e);
        }
        pending = false;
        positions.committed(ends, batch);
        announced = next;
        unsettled = ends;
        if (System.nanoTime() - settledAt > SETTLE_EVERY_NANOS) {
            // recovery must not lean on labels for long: StarRocks forgets them by count, Doris by age
            try {
                settleNow();
            } catch (FencedException | SourceException e) {
                log.debug("positions after label {} not written down yet: {}", label, e.getMessage());
            }
        }
        return List.copyOf(batch);
    }

    /** Writes the end of the latest batch down, so that the group's offsets (and lag tools) are current. */
    @Override
    public void idle() throws Exception {
        settleNow();
    }

    private void settleNow() throws FencedException, SourceException, RetryLaterException {
        if (unsettled != null) {
            positions.settle(unsettled, announced);
            unsettled = null;
            settledAt = System.nanoTime();
        }
    }

    @Override
    public void rollback() {
        if (load != null && !load.isDone()) {
            // the request fails without a complete body, and the client rolls back what it began
            batch.abort();
            try {
                load.get(ABORT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException expected) {
                // failed as it should, or still stuck in a send: the abort by label below settles it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!pending) {
            return;
        }
        pending = false;
        try {
            LabelState s = client.abortPrepared(label, txnId);
            log.debug("label {} rolled back: {}", label, s);
        } catch (StreamLoadException e) {
            log.warn("cannot abort label {} now; the next recovery aborts it: {}", label, e.getMessage());
        }
    }

    /** Rolls back a batch in flight and writes the positions down (PAUSE, STOP, shutdown, a failed task). */
    @Override
    public void close() {
        rollback();
        try {
            settleNow();
            positions.archive(partitions, announced);
        } catch (FencedException | SourceException | RetryLaterException e) {
            log.warn("the positions after label {} could not be written down; the next recovery reads that label's"
                    + " state: {}", announced, e.getMessage());
        }
    }
}
