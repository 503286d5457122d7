package io.inlet.infra.context;

import java.util.List;
import java.util.Optional;

/**
 * The validated deployment configuration that every construct receives; built by {@link InletContextReader}. The
 * ingest service (and its alarms) exists only with a warehouse; the Druid consumer only with seed 004's release.
 */
public record InletContext(DeploymentSettings deployment, NetworkSettings network, KafkaSettings kafka,
                           ServiceSettings service, Optional<WarehouseSettings> warehouse,
                           Optional<AlarmSettings> alarms, LagThresholds lag, Optional<KinesisSettings> kinesis,
                           List<JobSpec> jobs, Optional<DruidSettings> druid) {

    public boolean ingestService() {
        return warehouse.isPresent();
    }
}
