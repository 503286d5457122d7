package io.inlet.sink;

import java.util.Collection;

/**
 * One task's channel into the warehouse: rows of a batch and the positions they advance are
 * committed in one transaction, or not at all. Single-threaded.
 */
public interface LoadSession extends AutoCloseable {

    /** Starts a batch; checks that this runtime still owns the job. */
    void begin() throws Exception;

    /** Appends one row: values in target-table column order, already converted to the column types. */
    void append(Object[] row) throws Exception;

    /**
     * Records the positions and commits the batch atomically. Throws {@link FencedException}
     * (after rolling back) when a newer owner generation holds any of the partitions.
     */
    void commit(Collection<PartitionCommit> positions) throws Exception;

    void rollback();

    @Override
    void close();
}
