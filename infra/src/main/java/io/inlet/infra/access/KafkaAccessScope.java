package io.inlet.infra.access;

import java.util.List;

/**
 * What the ingest service may touch on an MSK cluster, in the terms of MSK's IAM resource ARNs
 * ({@code cluster/{name}/{uuid}}, {@code topic/{name}/{uuid}/{topic}}, {@code group/{name}/{uuid}/{group}}).
 * Any field may be a CDK token; {@code clusterUuid} usually is, cut from the cluster ARN at deploy time.
 */
public record KafkaAccessScope(String partition, String region, String account, String clusterName,
                               String clusterUuid, List<String> topics, List<String> groups) {

    public String clusterArn() {
        return arn("cluster", clusterName + "/" + clusterUuid);
    }

    public String topicArn(String topic) {
        return arn("topic", clusterName + "/" + clusterUuid + "/" + topic);
    }

    public String groupArn(String group) {
        return arn("group", clusterName + "/" + clusterUuid + "/" + group);
    }

    private String arn(String type, String path) {
        return "arn:" + partition + ":kafka:" + region + ":" + account + ":" + type + "/" + path;
    }
}
