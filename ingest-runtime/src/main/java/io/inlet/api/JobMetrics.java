package io.inlet.api;

import io.inlet.job.JobManager;
import io.inlet.job.JobState;
import io.inlet.job.JobStatistics;
import io.inlet.job.RoutineLoadJob;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics of the jobs, read from the jobs at scrape time. Labels are the job's id,
 * database, name and target table, and the partition (Kafka) or shard (Kinesis) for lag: never a property value, so
 * never a secret.
 */
public final class JobMetrics {

    private final JobManager jobs;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Long, Lags> lag = new HashMap<>();

    public JobMetrics(JobManager jobs) {
        this.jobs = jobs;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public synchronized String scrape() {
        for (RoutineLoadJob job : jobs.jobs()) {
            Lags lags = lag.get(job.id());
            if (lags == null) {
                lags = register(job);
                lag.put(job.id(), lags);
            }
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            job.lag().forEach((p, l) -> rows.add(MultiGauge.Row.of(Tags.of("partition", String.valueOf(p)), l)));
            lags.messages().register(rows, true);
            List<MultiGauge.Row<?>> shards = new ArrayList<>();
            job.shardLag().forEach((shard, ms) -> shards.add(MultiGauge.Row.of(Tags.of("shard", shard), ms)));
            lags.millis().register(shards, true);
        }
        return registry.scrape();
    }

    /** A job's lag gauges: Kafka's messages by partition, Kinesis' MillisBehindLatest by shard. */
    private record Lags(MultiGauge messages, MultiGauge millis) {}

    private Lags register(RoutineLoadJob job) {
        Tags tags = Tags.of("job_id", String.valueOf(job.id()), "db", job.record().db(), "job_name",
                job.record().name(), "table", job.statement().table());
        JobStatistics s = job.statistics();
        counter("inlet.rows.loaded", "rows loaded into the target table", tags, s, JobStatistics::loadedRows);
        counter("inlet.rows.filtered", "rows filtered out as errors (format, conversion, strict mode)", tags, s,
                JobStatistics::errorRows);
        counter("inlet.rows.unselected", "rows filtered out by the job's WHERE", tags, s, JobStatistics::unselectedRows);
        counter("inlet.received.bytes", "message bytes read from the source", tags, s, JobStatistics::receivedBytes);
        counter("inlet.batches.committed", "batches committed (rows and positions in one transaction)", tags, s,
                JobStatistics::committedTaskNum);
        counter("inlet.batches.aborted", "batches rolled back", tags, s, JobStatistics::abortedTaskNum);
        Gauge.builder("inlet.job.freshness.seconds", job, RoutineLoadJob::freshnessSeconds)
                .description("now minus the timestamp of the newest loaded message").tags(tags).register(registry);
        Gauge.builder("inlet.job.tasks", job, j -> j.tasks().size())
                .description("running tasks of the job").tags(tags).register(registry);
        for (JobState state : JobState.values()) {
            Gauge.builder("inlet.job.state", job, j -> j.state() == state ? 1 : 0)
                    .description("1 for the job's current state").tags(tags.and("state", state.name()))
                    .register(registry);
        }
        return new Lags(MultiGauge.builder("inlet.job.lag.messages")
                .description("messages behind the newest offset, by partition").tags(tags).register(registry),
                MultiGauge.builder("inlet.job.lag.millis")
                        .description("Kinesis: milliseconds behind the stream's newest record, by shard")
                        .tags(tags).register(registry));
    }

    private void counter(String name, String description, Tags tags, JobStatistics s, ToDoubleFunction<JobStatistics> f) {
        FunctionCounter.builder(name, s, f).description(description).tags(tags).register(registry);
    }
}
