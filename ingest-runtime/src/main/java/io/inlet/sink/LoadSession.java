package io.inlet.sink;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One task's channel into the warehouse: rows of a batch and the positions they advance are
 * committed in one transaction, or not at all. Single-threaded.
 */
public interface LoadSession extends AutoCloseable {

    /**
     * Starts a batch at {@code positions} (every partition of the task, by partition); checks that
     * this runtime still owns the job.
     */
    void begin(Map<String, String> positions) throws Exception;

    /** Appends one row: values in target-table column order, already converted to the column types. */
    void append(Object[] row) throws Exception;

    /** Appends one source message unparsed, for a session whose plan forwards messages (pushdown). */
    default void appendMessage(byte[] message) throws Exception {
        throw new UnsupportedOperationException("this session loads decoded rows only");
    }

    /**
     * Ends the batch's data: after this the warehouse has seen every row. Returns the warehouse's
     * counts when it parsed the rows itself (pushdown), else null. Throws {@link RetryLaterException}
     * (after rolling back) when the warehouse cannot take the batch now.
     */
    default LoadCounts finishData() throws Exception {
        return null;
    }

    /**
     * Records the positions and commits the batch atomically; returns the positions as recorded.
     * Throws {@link FencedException} (after rolling back) when a newer owner generation holds any
     * of the partitions.
     */
    List<PartitionCommit> commit(Collection<PartitionCommit> positions) throws Exception;

    /** The task has caught up with its partitions: a chance to write down what is still pending. */
    default void idle() throws Exception {}

    void rollback();

    @Override
    void close();
}
