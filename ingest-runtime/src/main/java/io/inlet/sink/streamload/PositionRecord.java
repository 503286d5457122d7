package io.inlet.sink.streamload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.sink.PartitionCommit;

import java.io.IOException;

/**
 * What Inlet writes into a partition's consumer-group offset metadata (the offset itself is where
 * the partition's committed data ends):
 * <ul>
 *   <li>{@code epoch}: changes when the partition's offsets are reset (part of every label);</li>
 *   <li>{@code t l e u b}: cumulative row counters up to the offset;</li>
 *   <li>an <em>intent</em> — {@code label}, {@code txn}, {@code to} and the batch's counters
 *       {@code bt bl be bu bb} — when a prepared transaction holds the rows from the offset up to
 *       {@code to}: if the label is committed, the partition is at {@code to};</li>
 *   <li>{@code next}: the label the partition's task loads under next (it may have begun), which a
 *       recovery aborts unless it finds it committed by an intent;</li>
 *   <li>{@code reset}: no position; start from the job's kafka_offsets.</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PositionRecord(@JsonProperty("v") int version, @JsonProperty("epoch") long epoch,
                      @JsonProperty("t") long total, @JsonProperty("l") long loaded, @JsonProperty("e") long errors,
                      @JsonProperty("u") long unselected, @JsonProperty("b") long bytes,
                      @JsonProperty("label") String label, @JsonProperty("txn") Long txnId,
                      @JsonProperty("to") Long to,
                      @JsonProperty("bt") Long batchTotal, @JsonProperty("bl") Long batchLoaded,
                      @JsonProperty("be") Long batchErrors, @JsonProperty("bu") Long batchUnselected,
                      @JsonProperty("bb") Long batchBytes,
                      @JsonProperty("next") String next, @JsonProperty("reset") Boolean reset) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A settled position: counters, epoch and the label loaded next (or null). */
    static PositionRecord settled(long epoch, Counters c, String next) {
        return new PositionRecord(1, epoch, c.total(), c.loaded(), c.errors(), c.unselected(), c.bytes(),
                null, null, null, null, null, null, null, null, next, null);
    }

    /** A prepared batch on top of the settled counters {@code c}. */
    static PositionRecord intent(long epoch, Counters c, String label, long txnId, PartitionCommit batch, String next) {
        return new PositionRecord(1, epoch, c.total(), c.loaded(), c.errors(), c.unselected(), c.bytes(),
                label, txnId, Long.parseLong(batch.position()), batch.totalRows(), batch.loadedRows(),
                batch.errorRows(), batch.unselectedRows(), batch.receivedBytes(), next, null);
    }

    static PositionRecord reset(long epoch, Counters c) {
        return new PositionRecord(1, epoch, c.total(), c.loaded(), c.errors(), c.unselected(), c.bytes(),
                null, null, null, null, null, null, null, null, null, true);
    }

    Counters counters() {
        return new Counters(total, loaded, errors, unselected, bytes);
    }

    /** The counters once the intent's batch is committed. */
    Counters countersAfterIntent() {
        return counters().plus(n(batchTotal), n(batchLoaded), n(batchErrors), n(batchUnselected), n(batchBytes));
    }

    boolean hasIntent() {
        return label != null && to != null;
    }

    boolean isReset() {
        return Boolean.TRUE.equals(reset);
    }

    String encode() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record in {@code metadata}, or null when the metadata is not Inlet's (empty, or written by another tool). */
    static PositionRecord decode(String metadata) {
        if (metadata == null || !metadata.startsWith("{")) {
            return null;
        }
        try {
            PositionRecord r = JSON.readValue(metadata, PositionRecord.class);
            return r.version() == 1 ? r : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static long n(Long v) {
        return v == null ? 0 : v;
    }

    /** Cumulative row counters of a partition. */
    record Counters(long total, long loaded, long errors, long unselected, long bytes) {
        static final Counters ZERO = new Counters(0, 0, 0, 0, 0);

        Counters plus(long t, long l, long e, long u, long b) {
            return new Counters(total + t, loaded + l, errors + e, unselected + u, bytes + b);
        }

        Counters plus(PartitionCommit c) {
            return plus(c.totalRows(), c.loadedRows(), c.errorRows(), c.unselectedRows(), c.receivedBytes());
        }
    }
}
