package io.inlet.service;

import io.inlet.api.ApiServer;
import io.inlet.config.ConfigException;
import io.inlet.config.RuntimeConfig;
import io.inlet.job.JobManager;
import io.inlet.catalog.KafkaCoordination;
import io.inlet.catalog.KafkaJobCatalog;
import io.inlet.sink.Warehouse;
import io.inlet.sink.streamload.StreamLoadWarehouse;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.StreamLoadConfig;
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
    private final KafkaCoordination coordination;

    public InletService(RuntimeConfig config) throws Exception {
        String replica = JobManager.defaultReplicaName();
        String type = config.get(RuntimeConfig.WAREHOUSE_TYPE);
        this.warehouse = "jdbc".equals(type)
                ? Warehouses.open(config.get(RuntimeConfig.WAREHOUSE_URL), config.get(RuntimeConfig.WAREHOUSE_USER),
                        config.get(RuntimeConfig.WAREHOUSE_PASSWORD), config.get(RuntimeConfig.WAREHOUSE_MAX_CONNECTIONS))
                : streamLoad(config, "doris".equals(type) ? Flavor.DORIS : Flavor.STARROCKS, replica);
        this.jobs = new JobManager(warehouse, defaultDatabase(warehouse, config), Clock.systemDefaultZone(),
                config.get(RuntimeConfig.MAX_TASKS_PER_JOB), replica);
        jobs.unstableLagThreshold(config.get(RuntimeConfig.UNSTABLE_LAG))
                .autoResumeBackoff(Duration.ofSeconds(config.get(RuntimeConfig.AUTO_RESUME_MIN_SECONDS)),
                        Duration.ofSeconds(config.get(RuntimeConfig.AUTO_RESUME_MAX_SECONDS)))
                .restAfter(Duration.ofSeconds(config.get(RuntimeConfig.REST_AFTER_SECONDS)))
                .monitor(Duration.ofSeconds(config.get(RuntimeConfig.MONITOR_INTERVAL_SECONDS)), Duration.ofSeconds(10))
                .followCatalog(Duration.ofSeconds(2));
        this.coordination = KafkaCoordination.from(config).orElse(null);
        jobs.coordination(coordination);
        String[] listen = config.get(RuntimeConfig.API_LISTEN).split(":");
        this.api = new ApiServer(jobs, new InetSocketAddress(listen[0], Integer.parseInt(listen[1])),
                config.get(RuntimeConfig.API_TOKEN));
        jobs.restore();
        Path jobsFile = config.path(RuntimeConfig.JOBS);
        if (jobsFile != null) {
            jobs.applyScript(Files.readString(jobsFile));
        }
        api.ready();
        log.info("Inlet is running: {} warehouse, {} job(s), API on {}", warehouse.kind(), jobs.jobs().size(),
                api.baseUrl());
    }

    /** StarRocks or Doris over Stream Load, with the job catalog in Kafka. */
    private static Warehouse streamLoad(RuntimeConfig config, Flavor flavor, String replica) throws Exception {
        if (config.get(RuntimeConfig.WAREHOUSE_LOAD_URL) == null) {
            throw RuntimeConfig.missing(RuntimeConfig.WAREHOUSE_LOAD_URL, "warehouse.type "
                    + config.get(RuntimeConfig.WAREHOUSE_TYPE) + " loads over Stream Load");
        }
        StreamLoadConfig template;
        try {
            template = StreamLoadConfig.builder().loadUrls(config.get(RuntimeConfig.WAREHOUSE_LOAD_URL))
                    .user(config.get(RuntimeConfig.WAREHOUSE_USER) == null ? "root" : config.get(RuntimeConfig.WAREHOUSE_USER))
                    .password(config.get(RuntimeConfig.WAREHOUSE_PASSWORD))
                    .database(config.get(RuntimeConfig.WAREHOUSE_DATABASE)).table("_")
                    .flavor(flavor).maxConnections(config.get(RuntimeConfig.WAREHOUSE_MAX_CONNECTIONS)).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(RuntimeConfig.WAREHOUSE_LOAD_URL.name() + ": " + e.getMessage());
        }
        return new StreamLoadWarehouse(template, KafkaJobCatalog.open(config, replica));
    }

    static String defaultDatabase(Warehouse warehouse, RuntimeConfig config) {
        return switch (warehouse.kind()) {
            case "postgresql" -> "public";
            case "duckdb" -> "main";
            default -> config.get(RuntimeConfig.WAREHOUSE_DATABASE);
        };
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
        if (coordination != null) {
            coordination.close();
        }
    }
}
