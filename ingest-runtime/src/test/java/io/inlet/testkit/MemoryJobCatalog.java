package io.inlet.testkit;

import io.inlet.job.JobCatalog;
import io.inlet.job.JobRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A job catalog in memory, shared by the runtimes of one test that plays restarts. */
public final class MemoryJobCatalog implements JobCatalog {

    private final Map<Long, JobRecord> jobs = new TreeMap<>();

    @Override
    public synchronized long nextJobId() {
        return jobs.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    }

    @Override
    public synchronized void insert(JobRecord job) {
        jobs.put(job.id(), job);
    }

    @Override
    public synchronized void update(JobRecord job) {
        jobs.put(job.id(), job);
    }

    @Override
    public synchronized List<JobRecord> all() {
        return new ArrayList<>(jobs.values());
    }
}
