package io.inlet.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.infra.access.KafkaAccessScope;
import io.inlet.infra.access.PolicyTemplates;
import io.inlet.infra.context.CatalogKafka;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy/*.mustache templates rendered with plain values and read back as JSON. */
class RenderedPolicyTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UUID = "2f4a1b3c-5d6e-7f80-91a2-b3c4d5e6f708-2";
    private static final KafkaAccessScope SCOPE = new KafkaAccessScope("aws", "us-west-2", "000000000000",
            "fff-streaming-inlet-msk", UUID, List.of("users", "orders"), List.of("inlet-users", "inlet-orders"),
            Optional.empty());
    private static final KafkaAccessScope STREAM_LOAD = new KafkaAccessScope("aws", "us-west-2", "000000000000",
            "fff-streaming-inlet-msk", UUID, List.of("users", "orders"), List.of("inlet-users", "inlet-orders"),
            Optional.of(new CatalogKafka(CatalogKafka.Use.JOB_CATALOG, "inlet.jobs", List.of())));
    private static final String ARN = "arn:aws:kafka:us-west-2:000000000000:";

    @Test
    void mskClusterAccessGrantsAConsumerExactlyWhatItNeeds() throws Exception {
        JsonNode policy = JSON.readTree(PolicyTemplates.mskClusterAccessJson(SCOPE));

        assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
        JsonNode statements = policy.get("Statement");
        assertThat(statements).hasSize(3);
        assertThat(strings(statements.get(0).get("Action")))
                .containsExactly("kafka-cluster:Connect", "kafka-cluster:DescribeCluster");
        assertThat(strings(statements.get(0).get("Resource")))
                .containsExactly("arn:aws:kafka:us-west-2:000000000000:cluster/fff-streaming-inlet-msk/" + UUID);
        assertThat(strings(statements.get(1).get("Action")))
                .containsExactly("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData");
        assertThat(strings(statements.get(1).get("Resource"))).containsExactly(
                "arn:aws:kafka:us-west-2:000000000000:topic/fff-streaming-inlet-msk/" + UUID + "/users",
                "arn:aws:kafka:us-west-2:000000000000:topic/fff-streaming-inlet-msk/" + UUID + "/orders");
        assertThat(strings(statements.get(2).get("Action")))
                .containsExactly("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup");
        assertThat(strings(statements.get(2).get("Resource"))).containsExactly(
                "arn:aws:kafka:us-west-2:000000000000:group/fff-streaming-inlet-msk/" + UUID + "/inlet-users",
                "arn:aws:kafka:us-west-2:000000000000:group/fff-streaming-inlet-msk/" + UUID + "/inlet-orders");
        statements.forEach(s -> assertThat(s.get("Effect").asText()).isEqualTo("Allow"));
    }

    @Test
    void mskClusterAccessHasNoWildcardActionOrResource() throws Exception {
        JsonNode policy = JSON.readTree(PolicyTemplates.mskClusterAccessJson(STREAM_LOAD));

        List<String> actions = new ArrayList<>();
        List<String> resources = new ArrayList<>();
        for (JsonNode statement : policy.get("Statement")) {
            actions.addAll(strings(statement.get("Action")));
            resources.addAll(strings(statement.get("Resource")));
        }
        assertThat(actions).containsExactlyInAnyOrder("kafka-cluster:Connect", "kafka-cluster:DescribeCluster",
                "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:DescribeGroup",
                "kafka-cluster:AlterGroup", "kafka-cluster:WriteDataIdempotently",
                "kafka-cluster:DescribeTransactionalId", "kafka-cluster:AlterTransactionalId",
                "kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic",
                "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData", "kafka-cluster:WriteData");
        assertThat(actions).noneMatch(a -> a.contains("*"));
        assertThat(resources).noneMatch(r -> r.contains("*"));
    }

    @Test
    void aStreamLoadDeploymentMayAlsoProduceTransactionallyAndKeepItsJobCatalog() throws Exception {
        JsonNode statements = JSON.readTree(PolicyTemplates.mskClusterAccessJson(STREAM_LOAD)).get("Statement");

        assertThat(statements).hasSize(6);
        assertThat(statements.get(3).get("Sid").asText()).isEqualTo("ProduceIdempotently");
        assertThat(strings(statements.get(3).get("Action"))).containsExactly("kafka-cluster:WriteDataIdempotently");
        assertThat(statements.get(3).get("Resource").asText())
                .isEqualTo(ARN + "cluster/fff-streaming-inlet-msk/" + UUID);
        assertThat(statements.get(4).get("Sid").asText()).isEqualTo("UseOwnTransactionalIds");
        assertThat(strings(statements.get(4).get("Action")))
                .containsExactly("kafka-cluster:DescribeTransactionalId", "kafka-cluster:AlterTransactionalId");
        assertThat(strings(statements.get(4).get("Resource"))).containsExactly(
                ARN + "transactional-id/fff-streaming-inlet-msk/" + UUID + "/inlet-users.inlet",
                ARN + "transactional-id/fff-streaming-inlet-msk/" + UUID + "/inlet-orders.inlet",
                ARN + "transactional-id/fff-streaming-inlet-msk/" + UUID + "/inlet.jobs.catalog");
        assertThat(statements.get(5).get("Sid").asText()).isEqualTo("KeepJobCatalog");
        assertThat(strings(statements.get(5).get("Action"))).containsExactly("kafka-cluster:CreateTopic",
                "kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration",
                "kafka-cluster:ReadData", "kafka-cluster:WriteData");
        assertThat(statements.get(5).get("Resource").asText())
                .isEqualTo(ARN + "topic/fff-streaming-inlet-msk/" + UUID + "/inlet.jobs");
        assertThat(strings(statements.get(0).get("Action")))
                .containsExactly("kafka-cluster:Connect", "kafka-cluster:DescribeCluster");
    }

    @Test
    void postgresqlKinesisJobsMayJoinTheirGroupsAndKeepTheCoordinationTopicWithoutWritingIt() throws Exception {
        KafkaAccessScope scope = new KafkaAccessScope("aws", "us-west-2", "000000000000", "fff-streaming-inlet-msk",
                UUID, List.of("users"), List.of("inlet-users"), Optional.of(new CatalogKafka(
                CatalogKafka.Use.KINESIS_COORDINATION, "_inlet_jobs",
                List.of("inlet_market_stock_ticks", "inlet_audit_trades"))));

        JsonNode statements = JSON.readTree(PolicyTemplates.mskClusterAccessJson(scope)).get("Statement");

        assertThat(statements).hasSize(5);
        assertThat(statements.get(3).get("Sid").asText()).isEqualTo("CoordinateKinesisJobReplicas");
        assertThat(strings(statements.get(3).get("Action")))
                .containsExactly("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup");
        assertThat(strings(statements.get(3).get("Resource"))).containsExactly(
                ARN + "group/fff-streaming-inlet-msk/" + UUID + "/inlet_market_stock_ticks",
                ARN + "group/fff-streaming-inlet-msk/" + UUID + "/inlet_audit_trades");
        assertThat(statements.get(4).get("Sid").asText()).isEqualTo("KeepCoordinationTopic");
        assertThat(strings(statements.get(4).get("Action"))).containsExactly("kafka-cluster:CreateTopic",
                "kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration");
        assertThat(statements.get(4).get("Resource").asText())
                .isEqualTo(ARN + "topic/fff-streaming-inlet-msk/" + UUID + "/_inlet_jobs");
        assertThat(scope.transactionalIds()).isEmpty();
        assertThat(statements.toString()).doesNotContain("WriteData").doesNotContain("TransactionalId");
    }

    @Test
    void aSingleTopicAndGroupRenderValidJson() throws Exception {
        KafkaAccessScope one = new KafkaAccessScope("aws-us-gov", "us-gov-west-1", "111122223333", "c", "u",
                List.of("t"), List.of("g"), Optional.empty());

        JsonNode policy = JSON.readTree(PolicyTemplates.mskClusterAccessJson(one));

        assertThat(strings(policy.get("Statement").get(1).get("Resource")))
                .containsExactly("arn:aws-us-gov:kafka:us-gov-west-1:111122223333:topic/c/u/t");
        assertThat(strings(policy.get("Statement").get(2).get("Resource")))
                .containsExactly("arn:aws-us-gov:kafka:us-gov-west-1:111122223333:group/c/u/g");
    }

    @Test
    void accessScopeBuildsMskResourceArnsInTheirRealFormats() {
        assertThat(SCOPE.clusterArn())
                .isEqualTo("arn:aws:kafka:us-west-2:000000000000:cluster/fff-streaming-inlet-msk/" + UUID);
        assertThat(SCOPE.topicArn("users"))
                .isEqualTo("arn:aws:kafka:us-west-2:000000000000:topic/fff-streaming-inlet-msk/" + UUID + "/users");
        assertThat(SCOPE.groupArn("inlet-users")).isEqualTo(
                "arn:aws:kafka:us-west-2:000000000000:group/fff-streaming-inlet-msk/" + UUID + "/inlet-users");
        assertThat(SCOPE.transactionalIdArn("inlet-users.inlet")).isEqualTo(ARN + "transactional-id/"
                + "fff-streaming-inlet-msk/" + UUID + "/inlet-users.inlet");
        assertThat(SCOPE.transactionalIds()).isEmpty();
        assertThat(STREAM_LOAD.transactionalIds())
                .containsExactly("inlet-users.inlet", "inlet-orders.inlet", "inlet.jobs.catalog");
    }

    @Test
    void bootstrapBrokersPolicyAllowsOneCallOnOneCluster() throws Exception {
        String arn = "arn:aws:kafka:us-west-2:000000000000:cluster/fff-streaming-inlet-msk/" + UUID;

        JsonNode statements = JSON.readTree(PolicyTemplates.bootstrapBrokersJson(arn)).get("Statement");

        assertThat(statements).hasSize(1);
        assertThat(strings(statements.get(0).get("Action"))).containsExactly("kafka:GetBootstrapBrokers");
        assertThat(statements.get(0).get("Resource").asText()).isEqualTo(arn);
    }

    @Test
    void kinesisReadPolicyAllowsReadingOneStream() throws Exception {
        String arn = "arn:aws:kinesis:us-west-2:000000000000:stream/fff-streaming-inlet-kinesis";

        JsonNode statements = JSON.readTree(PolicyTemplates.kinesisStreamReadJson(arn)).get("Statement");

        assertThat(statements).hasSize(1);
        assertThat(strings(statements.get(0).get("Action"))).containsExactly("kinesis:DescribeStream",
                "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
                "kinesis:ListShards");
        assertThat(statements.get(0).get("Resource").asText()).isEqualTo(arn);
    }

    @Test
    void renderedValuesAreEscapedForJson() throws Exception {
        String odd = "arn:aws:kafka:us-west-2:000000000000:cluster/a\"b\\c/u";

        JsonNode statements = JSON.readTree(PolicyTemplates.bootstrapBrokersJson(odd)).get("Statement");

        assertThat(statements.get(0).get("Resource").asText()).isEqualTo(odd);
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }
}
