package io.inlet.infra.context;

import java.util.List;
import java.util.Optional;

/** The validated deployment configuration that every construct receives; built by {@link InletContextReader}. */
public record InletContext(DeploymentSettings deployment, NetworkSettings network, KafkaSettings kafka,
                           ServiceSettings service, WarehouseSettings warehouse, AlarmSettings alarms,
                           LagThresholds lag, Optional<KinesisSettings> kinesis, List<JobSpec> jobs) {
}
