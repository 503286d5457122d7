package io.inlet.testkit;

import io.inlet.job.JobCatalog;
import io.inlet.job.JobRecord;
import io.inlet.sink.PositionArchive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A job catalog in memory, shared by the runtimes of one test that plays restarts. */
public final class MemoryJobCatalog implements JobCatalog, PositionArchive {

    private final Map<Long, JobRecord> jobs = new TreeMap<>();
    private final Map<Long, Map<String, String>> archived = new TreeMap<>();

    @Override
    public synchronized void save(long jobId, String partition, String position) {
        archived.computeIfAbsent(jobId, id -> new TreeMap<>()).put(partition, position);
    }

    @Override
    public synchronized Map<String, String> load(long jobId) {
        return new TreeMap<>(archived.getOrDefault(jobId, Map.of()));
    }

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
