package io.inlet.service;

import io.inlet.api.ApiServer;
import io.inlet.config.ConfigException;
import io.inlet.config.RuntimeConfig;
import io.inlet.job.JobManager;
import io.inlet.sink.Warehouse;
import io.inlet.sink.jdbc.Warehouses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** {@code inlet run}: the warehouse, the jobs restored from it, the jobs file, and the API. */
public final class InletService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InletService.class);

    private final Warehouse warehouse;
    private final JobManager jobs;
    private final ApiServer api;

    public InletService(RuntimeConfig config) throws Exception {
        String type = config.get(RuntimeConfig.WAREHOUSE_TYPE);
        if (!"jdbc".equals(type)) {
            throw new ConfigException("warehouse.type " + type + " is not available in this build; use jdbc");
        }
        this.warehouse = Warehouses.open(config.get(RuntimeConfig.WAREHOUSE_URL), config.get(RuntimeConfig.WAREHOUSE_USER),
                config.get(RuntimeConfig.WAREHOUSE_PASSWORD));
        this.jobs = new JobManager(warehouse, defaultDatabase(warehouse), Clock.systemDefaultZone(),
                config.get(RuntimeConfig.MAX_TASKS_PER_JOB));
        jobs.unstableLagThreshold(config.get(RuntimeConfig.UNSTABLE_LAG))
                .autoResumeBackoff(Duration.ofSeconds(config.get(RuntimeConfig.AUTO_RESUME_MIN_SECONDS)),
                        Duration.ofSeconds(config.get(RuntimeConfig.AUTO_RESUME_MAX_SECONDS)))
                .monitor(Duration.ofSeconds(config.get(RuntimeConfig.MONITOR_INTERVAL_SECONDS)), Duration.ofSeconds(10));
        String[] listen = config.get(RuntimeConfig.API_LISTEN).split(":");
        this.api = new ApiServer(jobs, new InetSocketAddress(listen[0], Integer.parseInt(listen[1])),
                config.get(RuntimeConfig.API_TOKEN));
        jobs.restore();
        Path jobsFile = config.path(RuntimeConfig.JOBS);
        if (jobsFile != null) {
            jobs.applyScript(Files.readString(jobsFile));
        }
        log.info("Inlet is running: {} warehouse, {} job(s), API on {}", warehouse.kind(), jobs.jobs().size(),
                api.baseUrl());
    }

    static String defaultDatabase(Warehouse warehouse) {
        return warehouse.kind().equals("postgresql") ? "public" : "main";
    }

    public JobManager jobs() {
        return jobs;
    }

    public ApiServer api() {
        return api;
    }

    @Override
    public void close() {
        api.close();
        jobs.close();
        warehouse.close();
    }
}
