package io.inlet.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.inlet.infra.AccessPoliciesTest.kafkaArn;
import static io.inlet.infra.IngestServiceTest.container;
import static io.inlet.infra.IngestServiceTest.named;
import static io.inlet.infra.TemplateQueries.getAtt;
import static io.inlet.infra.TemplateQueries.logicalId;
import static io.inlet.infra.TemplateQueries.properties;
import static io.inlet.infra.TemplateQueries.ref;
import static io.inlet.infra.TemplateQueries.resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The replicas of a Kinesis job share its shards through the consumer group {@code inlet_<db>_<job>} on the runtime's
 * {@code catalog.kafka.*} cluster: with Kinesis jobs every warehouse gets that cluster (for PostgreSQL only as a
 * coordination cluster, its job catalog staying in the warehouse) and the task role may join the jobs' groups.
 */
class KinesisCoordinationTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void aPostgresqlServiceWithKinesisJobsGetsTheClusterAsItsCoordinationClusterWithIam() throws Exception {
        Template template = Deployments.synth(Deployments.postgresqlIamWithKinesisJobs()).template();
        Map<String, Object> environment = named(container(template), "Environment");
        Object brokers = getAtt(logicalId(template, "Custom::MskBootstrapBrokers"), "BootstrapBrokerStringSaslIam");

        assertThat(environment).containsEntry("INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS", brokers);
        String yaml = environment.get("INLET_CONFIG_YAML").toString();
        JsonNode config = YAML.readTree(yaml);
        assertThat(config.at("/warehouse/type").asText()).isEqualTo("jdbc");
        assertThat(config.at("/warehouse/url").asText())
                .isEqualTo("jdbc:postgresql://warehouse.internal:5432/analytics");
        JsonNode catalog = config.at("/catalog/kafka");
        assertThat(fieldNames(catalog)).containsExactly("topic", "property", "aws");
        assertThat(catalog.at("/topic").asText()).isEqualTo("_inlet_jobs");
        assertThat(catalog.get("property").properties()).extracting(Map.Entry::getKey, e -> e.getValue().asText())
                .containsExactly(tuple("security.protocol", "SASL_SSL"), tuple("sasl.mechanism", "OAUTHBEARER"));
        assertThat(catalog.get("aws").properties()).extracting(Map.Entry::getKey, e -> e.getValue().asText())
                .containsExactly(tuple("region", "us-west-2"), tuple("credentials_provider", "DEFAULT"));
        assertThat(yaml).contains("# The job catalog is a table of the warehouse. catalog.kafka.* only coordinates "
                + "the Kinesis jobs").doesNotContain("The job catalog is a compacted topic");
    }

    @Test
    void aPostgresqlCoordinationClusterGetsTheServicesScramUserAsSecrets() throws Exception {
        Template template = Deployments.synth(Deployments.provisioned()).template();
        String scram = logicalId(template, "AWS::SecretsManager::Secret",
                p -> TemplateQueries.instanceName("AmazonMSK_fff-streaming-inlet-msk-sa-").equals(p.get("Name")));
        Map<String, Object> environment = named(container(template), "Environment");

        assertThat(named(container(template), "Secrets"))
                .containsEntry("INLET_CATALOG_KAFKA_PROPERTY_SASL_USERNAME",
                        Map.of("Fn::Join", List.of("", List.of(ref(scram), ":username::"))))
                .containsEntry("INLET_CATALOG_KAFKA_PROPERTY_SASL_PASSWORD",
                        Map.of("Fn::Join", List.of("", List.of(ref(scram), ":password::"))));
        assertThat(environment).containsEntry("INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS",
                getAtt(logicalId(template, "Custom::MskBootstrapBrokers"), "BootstrapBrokerStringSaslScram"));
        JsonNode catalog = YAML.readTree(environment.get("INLET_CONFIG_YAML").toString()).at("/catalog/kafka");
        assertThat(fieldNames(catalog)).containsExactly("topic", "property");
        assertThat(catalog.get("property").properties()).extracting(Map.Entry::getKey, e -> e.getValue().asText())
                .containsExactly(tuple("security.protocol", "SASL_SSL"), tuple("sasl.mechanism", "SCRAM-SHA-512"));
    }

    @Test
    void thePostgresqlTaskRoleMayJoinEachKinesisJobsGroupAndCreateTheCoordinationTopicOnly() {
        Template template = Deployments.synth(Deployments.postgresqlIamWithKinesisJobs()).template();
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
                                        kafkaArn(cluster, "group", "/inlet-users"))),
                        Map.of("Sid", "CoordinateKinesisJobReplicas", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"),
                                "Resource", List.of(kafkaArn(cluster, "group", "/inlet_audit_trades"),
                                        kafkaArn(cluster, "group", "/inlet_market_stock_ticks"))),
                        Map.of("Sid", "KeepCoordinationTopic", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic",
                                        "kafka-cluster:DescribeTopicDynamicConfiguration"),
                                "Resource", kafkaArn(cluster, "topic", "/_inlet_jobs")))))));
    }

    @Test
    void aPostgresqlServiceWithoutKinesisJobsGetsNoCatalogSettingsNorGrants() throws Exception {
        Template template = Deployments.synth(Deployments.postgresqlIamWithoutKinesisJobs()).template();
        Map<String, Object> environment = named(container(template), "Environment");

        assertThat(environment.keySet()).noneMatch(name -> name.startsWith("INLET_CATALOG"));
        assertThat(named(container(template), "Secrets").keySet()).noneMatch(name -> name.startsWith("INLET_CATALOG"));
        assertThat(fieldNames(YAML.readTree(environment.get("INLET_CONFIG_YAML").toString())))
                .containsExactly("warehouse", "api", "jobs");
        assertThat(sids(template)).containsExactly("ConnectToCluster", "ReadConfiguredTopics",
                "ConsumeAsConfiguredGroups");
    }

    @Test
    void aStreamLoadTaskRoleKeepsItsJobCatalogGrantsAndMayJoinTheKinesisJobsGroups() {
        Template template = Deployments.synth(Deployments.serverlessWithKinesis()).template();
        String cluster = logicalId(template, "AWS::MSK::ServerlessCluster");

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
                                "Resource", kafkaArn(cluster, "topic", "/_inlet_jobs")),
                        Map.of("Sid", "CoordinateKinesisJobReplicas", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"),
                                "Resource", kafkaArn(cluster, "group", "/inlet_market_stock_ticks")))))));
    }

    @Test
    void aStreamLoadServiceWithKinesisJobsKeepsItsJobCatalogAsTheCoordinationCluster() throws Exception {
        Template template = Deployments.synth(Deployments.serverlessWithKinesis()).template();
        Map<String, Object> environment = named(container(template), "Environment");
        String yaml = environment.get("INLET_CONFIG_YAML").toString();

        assertThat(environment).containsEntry("INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS",
                getAtt(logicalId(template, "Custom::MskBootstrapBrokers"), "BootstrapBrokerStringSaslIam"));
        assertThat(YAML.readTree(yaml).at("/catalog/kafka/topic").asText()).isEqualTo("_inlet_jobs");
        assertThat(yaml).contains("# The job catalog is a compacted topic of the cluster")
                .doesNotContain("only coordinates");
    }

    @SuppressWarnings("unchecked")
    private static List<String> sids(Template template) {
        Map<String, Object> policy = properties(resources(template, "AWS::IAM::ManagedPolicy").values().stream()
                .filter(p -> "fff-streaming-inlet-cluster-access".equals(properties(p).get("ManagedPolicyName")))
                .findFirst().orElseThrow());
        List<String> sids = new ArrayList<>();
        for (Map<String, Object> statement : (List<Map<String, Object>>) ((Map<String, Object>) policy
                .get("PolicyDocument")).get("Statement")) {
            sids.add((String) statement.get("Sid"));
        }
        return sids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
