package io.inlet.job;

import io.inlet.sink.CommittedPosition;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counters of SHOW ROUTINE LOAD's Statistic column. The row counters are cumulative and
 * come back from the warehouse after a restart (they commit with the data); task counters and
 * rates cover this runtime's lifetime.
 */
public final class JobStatistics {

    private long receivedBytes;
    private long errorRows;
    private long loadedRows;
    private long totalRows;
    private long unselectedRows;
    private long committedTaskNum;
    private long abortedTaskNum;
    private long taskExecuteTimeMs;
    private long lastBatchRows;
    private long lastBatchBytes;
    private long lastBatchMs;

    public synchronized void reset(Iterable<CommittedPosition> positions) {
        receivedBytes = errorRows = loadedRows = totalRows = unselectedRows = 0;
        for (CommittedPosition p : positions) {
            receivedBytes += p.receivedBytes();
            errorRows += p.errorRows();
            loadedRows += p.loadedRows();
            totalRows += p.totalRows();
            unselectedRows += p.unselectedRows();
        }
    }

    /**
     * Raises the row counters to the sums of {@code positions} where those are higher: the totals of every
     * replica's commits, as the position store has them (the local counts may be ahead by a batch not written
     * down yet).
     */
    public synchronized void atLeast(Iterable<CommittedPosition> positions) {
        long bytes = 0, errors = 0, loaded = 0, total = 0, unselected = 0;
        for (CommittedPosition p : positions) {
            bytes += p.receivedBytes();
            errors += p.errorRows();
            loaded += p.loadedRows();
            total += p.totalRows();
            unselected += p.unselectedRows();
        }
        receivedBytes = Math.max(receivedBytes, bytes);
        errorRows = Math.max(errorRows, errors);
        loadedRows = Math.max(loadedRows, loaded);
        totalRows = Math.max(totalRows, total);
        unselectedRows = Math.max(unselectedRows, unselected);
    }

    public synchronized void committed(long total, long loaded, long errors, long unselected, long bytes, long millis) {
        totalRows += total;
        loadedRows += loaded;
        errorRows += errors;
        unselectedRows += unselected;
        receivedBytes += bytes;
        committedTaskNum++;
        taskExecuteTimeMs += millis;
        lastBatchRows = loaded;
        lastBatchBytes = bytes;
        lastBatchMs = Math.max(1, millis);
    }

    public synchronized void aborted() {
        abortedTaskNum++;
    }

    public synchronized long loadedRows() {
        return loadedRows;
    }

    /** Rows consumed and settled: loaded, filtered as errors, or unselected by WHERE. */
    public synchronized long totalRows() {
        return totalRows;
    }

    public synchronized long errorRows() {
        return errorRows;
    }

    public synchronized long unselectedRows() {
        return unselectedRows;
    }

    public synchronized long receivedBytes() {
        return receivedBytes;
    }

    public synchronized long committedTaskNum() {
        return committedTaskNum;
    }

    public synchronized long abortedTaskNum() {
        return abortedTaskNum;
    }

    public synchronized Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receivedBytes", receivedBytes);
        m.put("errorRows", errorRows);
        m.put("committedTaskNum", committedTaskNum);
        m.put("loadedRows", loadedRows);
        m.put("loadRowsRate", lastBatchMs == 0 ? 0 : lastBatchRows * 1000 / lastBatchMs);
        m.put("abortedTaskNum", abortedTaskNum);
        m.put("totalRows", totalRows);
        m.put("unselectedRows", unselectedRows);
        m.put("receivedBytesRate", lastBatchMs == 0 ? 0 : lastBatchBytes * 1000 / lastBatchMs);
        m.put("taskExecuteTimeMs", taskExecuteTimeMs);
        return m;
    }
}
