package io.inlet.infra.context;

import java.util.List;
import java.util.Optional;

/**
 * What the runtime's {@code catalog.kafka.*} settings point at: a topic of the deployment's MSK cluster, reached with
 * the service's own auth (IAM, SCRAM or TLS, as its jobs reach the cluster), and the consumer groups the replicas of
 * the Kinesis jobs form there. What the topic is for depends on the warehouse ({@link Use}).
 *
 * @param use           whether the topic holds the job catalog or only lets Kinesis jobs' replicas coordinate
 * @param topic         {@code hosted:inlet:warehouse:catalog-topic} for Stream Load; that key's default for PostgreSQL
 * @param kinesisGroups the groups {@code inlet_<db>_<job>} of the context's Kinesis jobs (empty without them)
 */
public record CatalogKafka(Use use, String topic, List<String> kinesisGroups) {

    public enum Use {
        /**
         * StarRocks/Doris: the topic is the job catalog (the warehouse cannot hold it), written transactionally; the
         * replicas of Kinesis jobs, if any, form their groups on the same cluster and subscribe to it.
         */
        JOB_CATALOG,
        /**
         * PostgreSQL: the job catalog stays a table of the warehouse. The cluster only coordinates the replicas of
         * the Kinesis jobs; the topic is what the group members subscribe to (created compacted with one partition
         * when missing, never written).
         */
        KINESIS_COORDINATION
    }

    public CatalogKafka {
        kinesisGroups = List.copyOf(kinesisGroups);
    }

    /**
     * A Stream Load warehouse always has one (its job catalog); a PostgreSQL warehouse only with Kinesis jobs, which
     * without it would each be claimed whole by every replica (the last claim wins).
     */
    public static Optional<CatalogKafka> of(WarehouseSettings warehouse, Optional<KinesisSettings> kinesis) {
        List<String> groups = kinesis.map(k -> k.jobs().stream().map(KinesisJobSpec::consumerGroup).toList())
                .orElse(List.of());
        if (warehouse.catalogTopic().isPresent()) {
            return Optional.of(new CatalogKafka(Use.JOB_CATALOG, warehouse.catalogTopic().get(), groups));
        }
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        // The runtime's catalog.kafka.topic defaults to the same name; the key itself is refused with PostgreSQL.
        return Optional.of(new CatalogKafka(Use.KINESIS_COORDINATION,
                InletContextKeys.WAREHOUSE_CATALOG_TOPIC.defaultValue(), groups));
    }

    public boolean jobCatalog() {
        return use == Use.JOB_CATALOG;
    }
}
