package io.inlet.sink;

import io.inlet.job.JobCatalog;
import io.inlet.job.JobRecord;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobProperties;

import java.util.Map;

/**
 * A warehouse Inlet loads: it describes target tables, keeps the jobs' catalog, says where a
 * job's source positions live and opens load sessions.
 */
public interface Warehouse extends AutoCloseable {

    /** A short name for messages and SHOW, e.g. {@code duckdb}, {@code postgresql}, {@code starrocks}. */
    String kind();

    TableSchema describe(String database, String table) throws TableNotFoundException;

    JobCatalog catalog();

    /** How the job's messages reach the table; decided once per job definition. */
    LoadPlan plan(CreateRoutineLoad statement, JobProperties properties, TableSchema table);

    /** The store of the positions of one job, which reads {@code source} into {@code table}. */
    PositionStore positionStore(long jobId, KafkaSource source, TableSchema table) throws Exception;

    /**
     * Persists an ALTER: the job's new statement and, when it sets offsets, the partitions'
     * positions (null: resolve from kafka_offsets at RESUME) in {@code store}, fencing older
     * runtimes.
     */
    void alter(JobRecord altered, PositionStore store, Map<String, String> positions) throws Exception;

    LoadSession openSession(SessionSpec spec) throws Exception;

    /**
     * How many batches this runtime may load at once, over all its jobs: what the connections it may hold to the
     * warehouse allow (warehouse.max-connections).
     */
    int concurrentBatches();

    /**
     * How many times a load into {@code table} found that its columns had changed since they were described; a
     * job whose schema was read at a lower count describes the table again. Warehouses that do not watch: 0.
     */
    default long columnChanges(TableSchema table) {
        return 0;
    }

    @Override
    void close();
}
