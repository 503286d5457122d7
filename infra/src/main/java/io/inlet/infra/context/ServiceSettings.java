package io.inlet.infra.context;

import java.util.List;
import java.util.Optional;

/**
 * The Fargate ingest service: task size, counts for scaling, the API listen address, who may reach the API through
 * its load balancer (and its certificate for HTTPS), and log retention.
 */
public record ServiceSettings(int cpu, int memoryMib, int desiredCount, int minCount, int maxCount, String apiListen,
                              List<String> apiAllowedCidrs, List<String> apiAllowedSecurityGroups,
                              Optional<String> apiCertificateArn, int logRetentionDays) {

    public int apiPort() {
        return Integer.parseInt(apiListen.substring(apiListen.lastIndexOf(':') + 1));
    }
}
