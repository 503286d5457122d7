package io.inlet.infra.access;

import io.inlet.infra.context.CatalogKafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the ingest service may touch on an MSK cluster, in the terms of MSK's IAM resource ARNs
 * ({@code cluster/{name}/{uuid}}, {@code topic/{name}/{uuid}/{topic}}, {@code group/{name}/{uuid}/{group}},
 * {@code transactional-id/{name}/{uuid}/{id}}). Any field may be a CDK token; {@code clusterUuid} usually is, cut from
 * the cluster ARN at deploy time. {@code catalogKafka} is the runtime's {@code catalog.kafka.*} topic and the Kinesis
 * jobs' groups there: the job catalog of a Stream Load warehouse, whose deployments also produce transactionally, or
 * PostgreSQL's topic for coordinating Kinesis jobs only; empty for PostgreSQL without Kinesis jobs.
 */
public record KafkaAccessScope(String partition, String region, String account, String clusterName,
                               String clusterUuid, List<String> topics, List<String> groups,
                               Optional<CatalogKafka> catalogKafka) {

    /** Suffix of a job's transactional id after its consumer group, as the runtime's Stream Load sinks name it. */
    private static final String SINK_TRANSACTIONAL_SUFFIX = ".inlet";
    /** Suffix of the job catalog's transactional id after its topic, as the runtime's KafkaJobCatalog names it. */
    private static final String CATALOG_TRANSACTIONAL_SUFFIX = ".catalog";

    /** The job catalog topic of a Stream Load warehouse; empty for PostgreSQL, whose catalog is a table. */
    public Optional<String> catalogTopic() {
        return catalogKafka.filter(CatalogKafka::jobCatalog).map(CatalogKafka::topic);
    }

    /** PostgreSQL's topic on the cluster that only Kinesis jobs' group members subscribe to; empty otherwise. */
    public Optional<String> coordinationOnlyTopic() {
        return catalogKafka.filter(c -> !c.jobCatalog()).map(CatalogKafka::topic);
    }

    /** The consumer groups {@code inlet_<db>_<job>} of the Kinesis jobs, whose members share the jobs' shards. */
    public List<String> kinesisGroups() {
        return catalogKafka.map(CatalogKafka::kinesisGroups).orElse(List.of());
    }

    /** The transactional ids of a Stream Load deployment: each group's {@code {group}.inlet}, the catalog's. */
    public List<String> transactionalIds() {
        List<String> ids = new ArrayList<>();
        catalogTopic().ifPresent(topic -> {
            groups.forEach(group -> ids.add(group + SINK_TRANSACTIONAL_SUFFIX));
            ids.add(topic + CATALOG_TRANSACTIONAL_SUFFIX);
        });
        return ids;
    }

    public String clusterArn() {
        return arn("cluster", clusterName + "/" + clusterUuid);
    }

    public String topicArn(String topic) {
        return arn("topic", clusterName + "/" + clusterUuid + "/" + topic);
    }

    public String groupArn(String group) {
        return arn("group", clusterName + "/" + clusterUuid + "/" + group);
    }

    public String transactionalIdArn(String transactionalId) {
        return arn("transactional-id", clusterName + "/" + clusterUuid + "/" + transactionalId);
    }

    private String arn(String type, String path) {
        return "arn:" + partition + ":kafka:" + region + ":" + account + ":" + type + "/" + path;
    }
}
