package io.inlet.infra;

import io.inlet.infra.context.CatalogKafka;
import io.inlet.infra.context.InletContext;
import io.inlet.infra.service.RuntimeConfig;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.Deployments.with;
import static io.inlet.infra.TemplateQueries.getAtt;
import static io.inlet.infra.TemplateQueries.logicalId;
import static io.inlet.infra.TemplateQueries.privateSubnets;
import static io.inlet.infra.TemplateQueries.properties;
import static io.inlet.infra.TemplateQueries.ref;
import static io.inlet.infra.TemplateQueries.resources;
import static org.assertj.core.api.Assertions.assertThat;

/** The ECS cluster, the Fargate service and its container: image, configuration, secrets and logs. */
class IngestServiceTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> container(Template template) {
        Map<String, Object> task = properties(resources(template, "AWS::ECS::TaskDefinition").values().iterator().next());
        return ((List<Map<String, Object>>) task.get("ContainerDefinitions")).get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> named(Map<String, Object> container, String list) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) container.get(list)) {
            values.put((String) entry.get("Name"), entry.get(list.equals("Secrets") ? "ValueFrom" : "Value"));
        }
        return values;
    }

    @Test
    void theEcsClusterHasContainerInsights() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasResourceProperties("AWS::ECS::Cluster", Map.of(
                "ClusterName", "fff-streaming-inlet-ecs",
                "ClusterSettings", List.of(Map.of("Name", "containerInsights", "Value", "enabled")),
                "Tags", Match.anyValue()));
    }

    @Test
    void theServiceRunsOnFargateInThePrivateSubnetsWithItsOwnGroup() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String group = logicalId(template, "AWS::EC2::SecurityGroup",
                p -> "fff-streaming-inlet-ingest-sg".equals(p.get("GroupName")));

        template.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of(
                "ServiceName", "fff-streaming-inlet-ingest",
                "LaunchType", "FARGATE",
                "DesiredCount", 2,
                "DeploymentConfiguration", Match.objectLike(Map.of(
                        "DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true))),
                "NetworkConfiguration", Map.of("AwsvpcConfiguration", Map.of(
                        "AssignPublicIp", "DISABLED",
                        "SecurityGroups", List.of(getAtt(group, "GroupId")),
                        "Subnets", privateSubnets(template).stream().map(TemplateQueries::ref).toList())))));
    }

    @Test
    void theTaskHasTheConfiguredSizeAndTheServiceAccountRole() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of(
                "Family", "fff-streaming-inlet-ingest",
                "Cpu", "1024",
                "Memory", "2048",
                "RequiresCompatibilities", List.of("FARGATE"),
                "TaskRoleArn", getAtt(logicalId(template, "AWS::IAM::Role",
                        p -> "fff-streaming-inlet-msk-sa".equals(p.get("RoleName"))), "Arn"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theImageIsBuiltFromTheIngestRuntimeDockerfileAsAnAsset() throws Exception {
        Deployments.Synthesized synthesized = Deployments.synth(Deployments.serverless());
        String image = new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(container(synthesized.template()).get("Image"));
        Map<String, Object> assets = Deployments.readJson(java.nio.file.Path.of(synthesized.app().getOutdir(),
                Deployments.STACK + ".assets.json"));

        assertThat(image).contains("cdk-hnb659fds-container-assets-000000000000-us-west-2");
        Map<String, Object> dockerImages = (Map<String, Object>) assets.get("dockerImages");
        assertThat(dockerImages).hasSize(1);
        Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) dockerImages.values().iterator()
                .next()).get("source");
        assertThat(source).containsEntry("platform", "linux/amd64");
        assertThat(java.nio.file.Path.of(synthesized.app().getOutdir(), (String) source.get("directory"))
                .resolve("Dockerfile")).exists();
    }

    @Test
    void credentialsReachTheContainerOnlyAsSecretsManagerSecrets() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        Map<String, Object> container = container(template);
        String token = logicalId(template, "AWS::SecretsManager::Secret",
                p -> TemplateQueries.instanceName("fff-streaming-inlet-api-token-").equals(p.get("Name")));

        assertThat(named(container, "Secrets")).containsExactly(
                Map.entry("INLET_WAREHOUSE_USER", Deployments.WAREHOUSE_SECRET + ":username::"),
                Map.entry("INLET_WAREHOUSE_PASSWORD", Deployments.WAREHOUSE_SECRET + ":password::"),
                Map.entry("INLET_API_TOKEN", ref(token)));
        assertThat(named(container, "Environment").keySet()).containsExactly("AWS_REGION", "JAVA_OPTS",
                "INLET_API_LISTEN", "INLET_KAFKA_BOOTSTRAP_SERVERS", "INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS",
                "INLET_CONFIG_YAML", "INLET_JOBS_SQL");
        assertThat(named(container, "Environment").keySet())
                .noneMatch(name -> name.matches(".*(PASSWORD|TOKEN|SECRET|USER).*"));
        assertThat(named(container, "Environment").values().toString())
                .doesNotContainIgnoringCase("password:").doesNotContain("secretsmanager");
    }

    @Test
    void scramCredentialsReachTheContainerAsSecretsToo() {
        Template template = Deployments.synth(Deployments.provisioned()).template();
        String scram = logicalId(template, "AWS::SecretsManager::Secret",
                p -> TemplateQueries.instanceName("AmazonMSK_fff-streaming-inlet-msk-sa-").equals(p.get("Name")));

        assertThat(named(container(template), "Secrets")).containsEntry("INLET_KAFKA_SASL_USERNAME",
                Map.of("Fn::Join", List.of("", List.of(ref(scram), ":username::"))))
                .containsEntry("INLET_KAFKA_SASL_PASSWORD",
                        Map.of("Fn::Join", List.of("", List.of(ref(scram), ":password::"))));
    }

    @Test
    void theBootstrapServersArePassedToTheContainerForTheJobsAndTheJobCatalog() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        Object brokers = getAtt(logicalId(template, "Custom::MskBootstrapBrokers"), "BootstrapBrokerStringSaslIam");

        assertThat(named(container(template), "Environment")).containsEntry("INLET_KAFKA_BOOTSTRAP_SERVERS", brokers)
                .containsEntry("INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS", brokers);
    }

    @Test
    void aScramJobCatalogGetsTheServicesScramUserAsSecrets() {
        Template template = Deployments.synth(Deployments.provisionedStarRocks()).template();
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
        assertThat(environment.get("INLET_CONFIG_YAML").toString()).contains("sasl.mechanism: \"SCRAM-SHA-512\"")
                .doesNotContain("sasl.password:").doesNotContain("sasl.username:");
    }

    @Test
    void theKinesisStreamReachesTheContainerByNameAndArn() {
        Template template = Deployments.synth(Deployments.provisioned()).template();
        String stream = logicalId(template, "AWS::Kinesis::Stream");

        assertThat(named(container(template), "Environment"))
                .containsEntry(RuntimeConfig.KINESIS_STREAM_NAME_ENV, ref(stream))
                .containsEntry(RuntimeConfig.KINESIS_STREAM_ARN_ENV, getAtt(stream, "Arn"));
        assertThat(named(container(Deployments.synth(Deployments.serverless()).template()), "Environment").keySet())
                .noneMatch(name -> name.startsWith("INLET_KINESIS"));
    }

    @Test
    void theKinesisJobIsRenderedIntoTheJobsOnTheStreamsName() {
        Template template = Deployments.synth(Deployments.provisioned()).template();
        String stream = logicalId(template, "AWS::Kinesis::Stream");

        template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of(
                "ContainerDefinitions", List.of(Match.objectLike(Map.of("Environment", Match.arrayWith(List.of(
                        Map.of("Name", "INLET_JOBS_SQL", "Value", Map.of("Fn::Join", List.of("", Match.arrayWith(
                                List.of(Match.stringLikeRegexp("[\\s\\S]*CREATE ROUTINE LOAD market\\.stock_ticks ON "
                                                + "stock\nCOLUMNS\\(EVENT_TIME, TICKER, PRICE\\)\n[\\s\\S]*FROM "
                                                + "KINESIS \\(\n[\\s\\S]*\"kinesis_stream\" = \""),
                                        ref(stream))))))))))))));
    }

    @Test
    void aPostgresqlServiceWithoutKinesisJobsHasNoCatalogSettings() {
        Template template = Deployments.synth(with(Deployments.provisioned(), "hosted:inlet:kinesis:jobs",
                List.of())).template();

        assertThat(named(container(template), "Environment")).doesNotContainKey("INLET_CATALOG_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(named(container(template), "Secrets").keySet()).noneMatch(name -> name.startsWith("INLET_CATALOG"));
    }

    @Test
    void theRuntimeConfigAndJobsAreRenderedFromTheTemplates() {
        Map<String, Object> hosted = Deployments.serverless();
        Template template = Deployments.synth(hosted).template();
        InletContext context = ContextModelTest.read(hosted);
        Map<String, Object> environment = named(container(template), "Environment");

        assertThat(environment).containsEntry("INLET_CONFIG_YAML", RuntimeConfig.configYaml(Deployments.STACK,
                context.warehouse().orElseThrow(), context.service(), context.kafka(), context.deployment().region(),
                CatalogKafka.of(context.warehouse().orElseThrow(), context.kinesis())));
        assertThat(environment.get("INLET_JOBS_SQL").toString())
                .contains("CREATE ROUTINE LOAD mydatabase.tutorials_users ON myusers2")
                .contains("BootstrapBrokerStringSaslIam");
        assertThat(container(template)).containsEntry("EntryPoint", List.of("sh", "-c"))
                .containsEntry("Command", List.of(RuntimeConfig.startScript()));
    }

    @Test
    void theApiListensWhereTheContextSaysOverridingTheImageDefault() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        assertThat(named(container(template), "Environment")).containsEntry("INLET_API_LISTEN", "0.0.0.0:8030");
        assertThat(container(template)).containsEntry("PortMappings",
                List.of(Map.of("ContainerPort", 8030, "Protocol", "tcp")));
    }

    @Test
    void logsGoToALogGroupWithRetention() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String logGroup = logicalId(template, "AWS::Logs::LogGroup",
                p -> TemplateQueries.instanceName("/inlet/fff-streaming/ingest-").equals(p.get("LogGroupName")));

        template.hasResourceProperties("AWS::Logs::LogGroup", Map.of(
                "LogGroupName", TemplateQueries.instanceName("/inlet/fff-streaming/ingest-"), "RetentionInDays", 30, "Tags", Match.anyValue()));
        assertThat(container(template)).containsEntry("LogConfiguration", Map.of("LogDriver", "awslogs",
                "Options", Map.of("awslogs-group", ref(logGroup), "awslogs-stream-prefix", "ingest",
                        "awslogs-region", "us-west-2")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServiceStartsOnlyAfterTheScramSecretIsAssociated() {
        Template template = Deployments.synth(Deployments.provisioned()).template();
        Map<String, Object> service = resources(template, "AWS::ECS::Service").values().iterator().next();

        assertThat((List<Object>) service.get("DependsOn")).contains(
                logicalId(template, "AWS::MSK::BatchScramSecret"), logicalId(template, "AWS::MSK::Cluster"));
    }

    @Test
    void theExecutionRoleMayReadTheSecretsOfTheContainer() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String executionRole = logicalId(template, "AWS::IAM::Role",
                p -> "fff-streaming-inlet-execution".equals(p.get("RoleName")));
        String token = logicalId(template, "AWS::SecretsManager::Secret",
                p -> TemplateQueries.instanceName("fff-streaming-inlet-api-token-").equals(p.get("Name")));
        Map<String, Object> readSecrets = Map.of("Effect", "Allow",
                "Action", List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"),
                "Resource", List.of(Deployments.WAREHOUSE_SECRET, ref(token)));

        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(executionRole)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(readSecrets)))))));
    }

    @Test
    void theContainerIsHealthyWhileItsLivenessEndpointAnswers() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        assertThat(container(template)).containsEntry("HealthCheck", Map.of(
                "Command", List.of("CMD-SHELL", "curl -fsS -o /dev/null http://127.0.0.1:8030/healthz || exit 1"),
                "Interval", 30, "Timeout", 5, "Retries", 3, "StartPeriod", 60));
    }

    @Test
    void sigtermGetsTwoMinutesToDrainTheJobs() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        assertThat(container(template)).containsEntry("StopTimeout", 120);
    }

    @Test
    void aTlsClientCertificateReachesTheContainerAsSecretsForTheJobsAndTheJobCatalog() {
        Template template = Deployments.synth(Deployments.provisionedTls()).template();
        String certificate = Deployments.TLS_CLIENT_SECRET;

        assertThat(named(container(template), "Secrets"))
                .containsEntry("INLET_KAFKA_TLS_CERTIFICATE", certificate + ":certificate::")
                .containsEntry("INLET_KAFKA_TLS_KEY", certificate + ":private-key::")
                .containsEntry("INLET_CATALOG_KAFKA_PROPERTY_SSL_KEYSTORE_CERTIFICATE_CHAIN", certificate + ":certificate::")
                .containsEntry("INLET_CATALOG_KAFKA_PROPERTY_SSL_KEYSTORE_KEY", certificate + ":private-key::")
                .doesNotContainKey("INLET_KAFKA_SASL_USERNAME");
        assertThat(named(container(template), "Environment")).containsEntry("INLET_KAFKA_BOOTSTRAP_SERVERS",
                getAtt(logicalId(template, "Custom::MskBootstrapBrokers"), "BootstrapBrokerStringTls"));
        assertThat(named(container(template), "Environment").get("INLET_JOBS_SQL").toString())
                .contains("\"property.security.protocol\" = \"SSL\"")
                .contains("\"property.ssl.keystore.key\" = \"@INLET_KAFKA_TLS_KEY@\"");
    }
}
