package io.inlet.sink;

import io.inlet.job.JobCatalog;
import io.inlet.job.JobRecord;

import java.util.Collection;
import java.util.Map;

/**
 * A warehouse Inlet loads: it describes target tables, keeps the jobs' catalog and their
 * source positions (in the same store as the data, so they commit together) and opens load
 * sessions.
 */
public interface Warehouse extends AutoCloseable {

    /** A short name for messages and SHOW, e.g. {@code duckdb}, {@code postgresql}. */
    String kind();

    TableSchema describe(String database, String table) throws TableNotFoundException;

    JobCatalog catalog();

    /**
     * Takes ownership of a job's positions for this runtime: returns a new owner generation that
     * fences every earlier one, after making sure a position row exists for each partition.
     */
    long claim(long jobId, Collection<String> partitions) throws Exception;

    /** The committed positions of a job, by partition. */
    Map<String, CommittedPosition> positions(long jobId) throws Exception;

    /**
     * Persists an ALTER in one transaction: the job's new statement and, when it sets offsets, the
     * partitions' positions (null: resolve from kafka_offsets at RESUME), fencing older runtimes.
     */
    void alter(JobRecord altered, Map<String, String> positions) throws Exception;

    LoadSession openSession(long jobId, long generation, TableSchema table) throws Exception;

    @Override
    void close();
}
