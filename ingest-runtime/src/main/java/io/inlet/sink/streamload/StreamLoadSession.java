package io.inlet.sink.streamload;

import io.inlet.format.DecodeException;
import io.inlet.sink.FencedException;
import io.inlet.sink.LoadCounts;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.RetryLaterException;
import io.inlet.source.kafka.SourceException;
import io.inlet.streamload.LabelState;
import io.inlet.streamload.StreamLoadBody;
import io.inlet.streamload.StreamLoadClient;
import io.inlet.streamload.StreamLoadException;
import io.inlet.streamload.StreamLoadResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's batches over Stream Load, each a prepared transaction under the label of its start
 * positions: begin (announcing the label if it is new), collect the messages (or Inlet's rows as
 * JSON), load them as a prepared transaction, record the intent with the batch's end in the
 * consumer group, then commit.
 */
final class StreamLoadSession implements LoadSession {

    private static final Logger log = LoggerFactory.getLogger(StreamLoadSession.class);

    private final StreamLoadClient client;
    private final StreamLoadPositions positions;
    private final List<String> partitions;
    private final BodyFormat format;
    private final Map<String, String> headers;
    private final RowJson rowJson;
    private final BatchBuffer batch;
    private Map<String, String> starts;
    private String label;
    private String announced;
    private long txnId = -1;
    /** A load or prepared transaction under {@link #label} that is not committed yet. */
    private boolean pending;
    /** The latest committed batch's end is only in memory (its intent is written); see {@link #idle}. */
    private Map<String, String> unsettled;

    StreamLoadSession(StreamLoadClient client, StreamLoadPositions positions, List<String> partitions,
                      BodyFormat format, Map<String, String> headers, RowJson rowJson) {
        this.client = client;
        this.positions = positions;
        this.partitions = List.copyOf(partitions);
        this.format = format;
        this.headers = headers;
        this.rowJson = rowJson;
        this.batch = new BatchBuffer(format);
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
        batch.clear();
        txnId = -1;
    }

    private String labelAt(Map<String, String> at) {
        return BatchLabels.of(positions.groupId(), positions.topic(), at, positions.epochs(partitions));
    }

    @Override
    public void appendMessage(byte[] message) throws DecodeException {
        format.add(message, batch);
    }

    @Override
    public void append(Object[] row) {
        rowJson.write(row, batch);
    }

    @Override
    public LoadCounts finishData() throws Exception {
        StreamLoadBody body = batch::open;
        StreamLoadResponse r;
        pending = true;
        try {
            r = client.loadPrepared(label, headers, body);
        } catch (StreamLoadException e) {
            rollback();
            if (e.retryable() || e.outcomeUnknown()) {
                throw new RetryLaterException(e.getMessage(), false, e);
            }
            throw e;
        }
        switch (r.outcome()) {
            case SUCCESS -> {
                txnId = r.txnId();
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
        batch.clear();
        return List.copyOf(batch);
    }

    /** Writes the end of the latest batch down, so that the group's offsets (and lag tools) are current. */
    @Override
    public void idle() throws Exception {
        if (unsettled != null) {
            positions.settle(unsettled, announced);
            unsettled = null;
        }
    }

    @Override
    public void rollback() {
        batch.clear();
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

    @Override
    public void close() {
        rollback();
    }
}
