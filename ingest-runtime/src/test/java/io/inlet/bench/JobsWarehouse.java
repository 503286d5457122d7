package io.inlet.bench;

import io.inlet.demo.EmbeddedKafkaBroker;

import java.util.Collection;
import java.util.Map;

/** The warehouse of a {@link ManyJobsRun}: a table per job, and what it sees of the runtime's connections. */
interface JobsWarehouse extends AutoCloseable {

    /** Rows in a table, and distinct ids among them. */
    record TableCount(long rows, long ids) {}

    /** The runtime configuration's warehouse section, and its catalog's when the catalog is not the warehouse. */
    String config(EmbeddedKafkaBroker broker);

    /** Environment variables of the runtime (the warehouse password). */
    Map<String, String> environment();

    /** Creates the tables, each with the columns {@code id}, {@code name} and {@code ts}. */
    void createTables(Collection<String> tables) throws Exception;

    /** The rows in each of these tables. */
    Map<String, Long> rows(Collection<String> tables) throws Exception;

    /** The rows and distinct ids in each of these tables. */
    Map<String, TableCount> counts(Collection<String> tables) throws Exception;

    /**
     * The runtime's connections to the warehouse, sampled now, or the most it has held at once if the warehouse
     * counts them itself: a run keeps the largest answer.
     */
    int connections() throws Exception;

    /** The most requests the warehouse handled at once, or -1 where it does not count them. */
    int peakRequests();

    @Override
    void close();
}
