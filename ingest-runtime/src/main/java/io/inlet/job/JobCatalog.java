package io.inlet.job;

import java.util.List;

/** Durable store of job definitions and states, so jobs survive a restart of the service. */
public interface JobCatalog {

    long nextJobId() throws Exception;

    /** Saves a new job; {@link JobIdTakenException} when another replica took its id meanwhile (nothing saved). */
    void insert(JobRecord job) throws Exception;

    void update(JobRecord job) throws Exception;

    List<JobRecord> all() throws Exception;
}
