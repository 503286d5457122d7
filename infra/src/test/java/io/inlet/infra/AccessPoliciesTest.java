package io.inlet.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.getAtt;
import static io.inlet.infra.TemplateQueries.logicalId;
import static io.inlet.infra.TemplateQueries.ref;
import static io.inlet.infra.TemplateQueries.resources;
import static org.assertj.core.api.Assertions.assertThat;

/** The exact IAM actions and resource ARNs in the synthesized stack. */
class AccessPoliciesTest {

    /** {@code arn:{partition}:kafka:us-west-2:000000000000:{type}/fff-streaming-inlet-msk/{uuid}{suffix}}. */
    static Map<String, Object> kafkaArn(String cluster, String type, String suffix) {
        List<Object> parts = new java.util.ArrayList<>(List.of("arn:", Map.of("Ref", "AWS::Partition"),
                ":kafka:us-west-2:000000000000:" + type + "/fff-streaming-inlet-msk/",
                Map.of("Fn::Select", List.of(2, Map.of("Fn::Split", List.of("/", getAtt(cluster, "Arn")))))));
        if (!suffix.isEmpty()) {
            parts.add(suffix);
        }
        return Map.of("Fn::Join", List.of("", parts));
    }

    @Test
    void clusterAccessPolicyGrantsConsumerActionsOnTheConfiguredTopicsAndGroupsOnly() {
        // PostgreSQL without Kinesis jobs: no job catalog and nothing to coordinate on the cluster.
        Template template = Deployments.synth(Deployments.postgresqlIamWithoutKinesisJobs()).template();
        String cluster = logicalId(template, "AWS::MSK::Cluster");

        template.hasResourceProperties("AWS::IAM::ManagedPolicy", Match.objectLike(Map.of(
                "ManagedPolicyName", "fff-streaming-inlet-cluster-access",
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(
                        Map.of("Sid", "ConnectToCluster", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:Connect", "kafka-cluster:DescribeCluster"),
                                "Resource", kafkaArn(cluster, "cluster", "")),
                        Map.of("Sid", "ReadConfiguredTopics", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"),
                                "Resource", List.of(kafkaArn(cluster, "topic", "/orders"),
                                        kafkaArn(cluster, "topic", "/users"))),
                        Map.of("Sid", "ConsumeAsConfiguredGroups", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"),
                                "Resource", List.of(kafkaArn(cluster, "group", "/inlet-orders"),
                                        kafkaArn(cluster, "group", "/inlet-users"))))))));
    }

    @Test
    void aStreamLoadDeploymentMayAlsoProduceTransactionallyAndKeepItsJobCatalog() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String cluster = logicalId(template, "AWS::MSK::ServerlessCluster");

        template.hasResourceProperties("AWS::IAM::ManagedPolicy", Match.objectLike(Map.of(
                "ManagedPolicyName", "fff-streaming-inlet-cluster-access",
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Map.of("Sid", "ConsumeAsConfiguredGroups", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"),
                                "Resource", List.of(kafkaArn(cluster, "group", "/inlet-orders"),
                                        kafkaArn(cluster, "group", "/inlet-users"))),
                        Map.of("Sid", "ProduceIdempotently", "Effect", "Allow",
                                "Action", "kafka-cluster:WriteDataIdempotently",
                                "Resource", kafkaArn(cluster, "cluster", "")),
                        Map.of("Sid", "UseOwnTransactionalIds", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:AlterTransactionalId",
                                        "kafka-cluster:DescribeTransactionalId"),
                                "Resource", List.of(kafkaArn(cluster, "transactional-id", "/_inlet_jobs.catalog"),
                                        kafkaArn(cluster, "transactional-id", "/inlet-orders.inlet"),
                                        kafkaArn(cluster, "transactional-id", "/inlet-users.inlet"))),
                        Map.of("Sid", "KeepJobCatalog", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic",
                                        "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData",
                                        "kafka-cluster:WriteData"),
                                "Resource", kafkaArn(cluster, "topic", "/_inlet_jobs")))))))));
    }

    @Test
    void theTaskRoleIsTheServiceAccountAndCarriesTheRenderedPolicy() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String policy = logicalId(template, "AWS::IAM::ManagedPolicy");

        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "RoleName", "fff-streaming-inlet-msk-sa",
                "ManagedPolicyArns", List.of(ref(policy)),
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Map.of(
                        "Action", "sts:AssumeRole", "Effect", "Allow",
                        "Principal", Map.of("Service", "ecs-tasks.amazonaws.com"))))))));
    }

    @Test
    void noPolicyAnywhereGrantsAKafkaWildcard() throws Exception {
        for (Map<String, Object> context : List.of(Deployments.serverless(), Deployments.provisioned(),
                Deployments.provisionedIam(), Deployments.importedPublicIam())) {
            String json = new ObjectMapper().writeValueAsString(Deployments.synth(context).template().toJSON());

            assertThat(json).doesNotContain("kafka-cluster:*").doesNotContain("\"kafka:*\"")
                    .doesNotContain("kinesis:*");
        }
    }

    @Test
    void scramDeploymentsGrantNoKafkaClusterActions() throws Exception {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        assertThat(resources(template, "AWS::IAM::ManagedPolicy").values())
                .noneMatch(p -> TemplateQueries.properties(p).get("ManagedPolicyName")
                        .equals("fff-streaming-inlet-cluster-access"));
        assertThat(new ObjectMapper().writeValueAsString(template.toJSON())).doesNotContain("kafka-cluster:");
    }

    @Test
    void theBootstrapCustomResourceMayOnlyReadBootstrapBrokersOfTheCluster() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Sid", "ReadBootstrapBrokers", "Effect", "Allow",
                        "Action", "kafka:GetBootstrapBrokers",
                        "Resource", getAtt(logicalId(template, "AWS::MSK::Cluster"), "Arn")))))));
    }

    @Test
    void theKinesisStreamIsReadableByTheTaskRole() {
        Template template = Deployments.synth(Deployments.provisioned()).template();
        String stream = logicalId(template, "AWS::Kinesis::Stream");
        String read = logicalId(template, "AWS::IAM::ManagedPolicy",
                p -> "fff-streaming-inlet-kinesis-read".equals(p.get("ManagedPolicyName")));

        template.hasResourceProperties("AWS::Kinesis::Stream", Match.objectLike(Map.of(
                "Name", "fff-streaming-inlet-kinesis",
                "ShardCount", 2,
                "RetentionPeriodHours", 48,
                "StreamEncryption", Map.of("EncryptionType", "KMS", "KeyId", "alias/aws/kinesis"))));
        template.hasResourceProperties("AWS::IAM::ManagedPolicy", Match.objectLike(Map.of(
                "ManagedPolicyName", "fff-streaming-inlet-kinesis-read",
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Sid", "ReadStream", "Effect", "Allow",
                        "Action", List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                                "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"),
                        "Resource", getAtt(stream, "Arn")))))));
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "RoleName", "fff-streaming-inlet-msk-sa",
                "ManagedPolicyArns", List.of(ref(read)))));
    }

    @Test
    void kinesisNeedsNoDynamoDbTableNorAccess() throws Exception {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        assertThat(resources(template, "AWS::Kinesis::Stream")).hasSize(1);
        assertThat(new ObjectMapper().writeValueAsString(template.toJSON())).doesNotContain("AWS::DynamoDB::")
                .doesNotContain("dynamodb:").doesNotContain("cloudwatch:PutMetricData");
    }
}
