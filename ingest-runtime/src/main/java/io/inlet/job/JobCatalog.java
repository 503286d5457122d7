package io.inlet.job;

import java.util.List;

/** Durable store of job definitions and states, so jobs survive a restart of the service. */
public interface JobCatalog {

    long nextJobId() throws Exception;

    void insert(JobRecord job) throws Exception;

    void update(JobRecord job) throws Exception;

    List<JobRecord> all() throws Exception;
}
