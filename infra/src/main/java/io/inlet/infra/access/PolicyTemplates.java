package io.inlet.infra.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.infra.render.TemplateRenderer;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The IAM policies of {@code policy/*.mustache}, rendered and parsed into CDK policy documents. */
public final class PolicyTemplates {
    public static final String MSK_CLUSTER_ACCESS = "policy/msk-cluster-access.mustache";
    public static final String MSK_BOOTSTRAP_BROKERS = "policy/msk-bootstrap-brokers.mustache";
    public static final String KINESIS_STREAM_READ = "policy/kinesis-stream-read.mustache";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyTemplates() {
    }

    /**
     * Least privilege for a consumer: connect, describe, read the configured topics, commit as the groups. With a job
     * catalog topic (Stream Load warehouses) also: produce idempotently, use the deployment's transactional ids, and
     * create, describe, read and write the catalog topic. With Kinesis jobs: join their groups, and for PostgreSQL
     * create and describe the topic their members subscribe to (a Stream Load catalog topic already allows that).
     */
    public static String mskClusterAccessJson(KafkaAccessScope scope) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("administer", false);
        values.put("clusters", arns(List.of(scope.clusterArn())));
        values.put("topics", arns(scope.topics().stream().map(scope::topicArn).toList()));
        values.put("groups", arns(scope.groups().stream().map(scope::groupArn).toList()));
        values.put("jobCatalog", scope.catalogTopic().<Object>map(topic -> Map.of(
                "clusterArn", scope.clusterArn(),
                "topicArn", scope.topicArn(topic),
                "transactionalIds", arns(scope.transactionalIds().stream().map(scope::transactionalIdArn).toList())))
                .orElse(false));
        List<String> kinesisGroups = scope.kinesisGroups();
        values.put("kinesisGroups", kinesisGroups.isEmpty() ? false
                : Map.of("groups", arns(kinesisGroups.stream().map(scope::groupArn).toList())));
        values.put("coordinationTopic", scope.coordinationOnlyTopic().<Object>map(topic -> Map.of(
                "topicArn", scope.topicArn(topic))).orElse(false));
        return TemplateRenderer.render(MSK_CLUSTER_ACCESS, values);
    }

    /**
     * Seed 004's grant for a client that also administers the cluster's topics (Druid): connect, describe and alter the
     * cluster; create, delete, describe, alter, read and write topics; use groups, on the given resource ARNs (the
     * seed's mappings, {@code cluster/{name}/*}, {@code topic/{name}/*}, {@code group/{name}/*}).
     */
    public static String mskClusterAdministrationJson(List<String> clusters, List<String> topics,
                                                      List<String> groups) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("administer", true);
        values.put("clusters", arns(clusters));
        values.put("topics", arns(topics));
        values.put("groups", arns(groups));
        values.put("jobCatalog", false);
        values.put("kinesisGroups", false);
        values.put("coordinationTopic", false);
        return TemplateRenderer.render(MSK_CLUSTER_ACCESS, values);
    }

    public static String bootstrapBrokersJson(String clusterArn) {
        return TemplateRenderer.render(MSK_BOOTSTRAP_BROKERS, Map.of("clusterArn", clusterArn));
    }

    public static String kinesisStreamReadJson(String streamArn) {
        return TemplateRenderer.render(KINESIS_STREAM_READ, Map.of("streamArn", streamArn));
    }

    public static PolicyDocument document(String json) {
        return PolicyDocument.fromJson(parse(json));
    }

    public static List<PolicyStatement> statements(String json) {
        List<PolicyStatement> statements = new ArrayList<>();
        for (Object statement : (List<?>) parse(json).get("Statement")) {
            statements.add(PolicyStatement.fromJson(statement));
        }
        return statements;
    }

    public static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A policy template rendered invalid JSON:\n" + json, e);
        }
    }

    private static List<Map<String, Object>> arns(List<String> arns) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < arns.size(); i++) {
            items.add(Map.of("arn", arns.get(i), "last", i == arns.size() - 1));
        }
        return items;
    }
}
