package io.inlet.infra.kafka;

/** MSK Serverless (IAM only, no capacity to plan) or a provisioned cluster with brokers of a chosen type. */
public enum ClusterMode {
    SERVERLESS,
    PROVISIONED
}
