package io.inlet.infra.context;

/** The Fargate ingest service: task size, counts for scaling, the API listen address and log retention. */
public record ServiceSettings(int cpu, int memoryMib, int desiredCount, int minCount, int maxCount, String apiListen,
                              int logRetentionDays) {

    public int apiPort() {
        return Integer.parseInt(apiListen.substring(apiListen.lastIndexOf(':') + 1));
    }
}
