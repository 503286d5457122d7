package io.inlet.infra;

import io.inlet.infra.druid.DruidSupervisorSpec;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.getAtt;
import static io.inlet.infra.TemplateQueries.logicalId;
import static io.inlet.infra.TemplateQueries.privateSubnets;
import static io.inlet.infra.TemplateQueries.ref;
import static org.assertj.core.api.Assertions.assertThat;

/** Seed 004's own cdk.context.json, verbatim: the Druid cluster, its access, its exported brokers, its spec. */
class Seed004Test {
    private static final String ARN = "arn:aws:kafka:us-west-2:000000000000:";

    @Test
    void theExampleIsTheSeedsContextVerbatim() {
        assertThat(Deployments.seed004()).containsExactly(
                Map.entry("hosted:id", "fff"),
                Map.entry("hosted:eks:druid:release", "streaming"),
                Map.entry("hosted:account", "000000000000"),
                Map.entry("hosted:region", "us-west-2"));
    }

    @Test
    void theClusterIsServerlessWithIamInThePrivateSubnetsAndNamedForDruid() {
        Template template = Deployments.synth(Deployments.seed004()).template();

        template.hasResourceProperties("AWS::MSK::ServerlessCluster", Match.objectLike(Map.of(
                "ClusterName", "fff-streaming-druid-msk",
                "ClientAuthentication", Map.of("Sasl", Map.of("Iam", Map.of("Enabled", true))),
                "VpcConfigs", List.of(Match.objectLike(Map.of(
                        "SubnetIds", privateSubnets(template).stream().map(TemplateQueries::ref).toList()))))));
        assertThat(Deployments.synth(Deployments.seed004()).stack().getStackName()).isEqualTo("fff-streaming-inlet");
    }

    @Test
    void theAccessPolicyHasTheSeedsStatementsOnTheSeedsArns() {
        Template template = Deployments.synth(Deployments.seed004()).template();

        template.hasResourceProperties("AWS::IAM::ManagedPolicy", Match.objectLike(Map.of(
                "ManagedPolicyName", "fff-streaming-druid-cluster-access",
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(
                        Map.of("Sid", "ConnectToCluster", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:AlterCluster", "kafka-cluster:Connect",
                                        "kafka-cluster:DescribeCluster"),
                                "Resource", ARN + "cluster/fff-streaming-druid-msk/*"),
                        Map.of("Sid", "UseAndManageTopics", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:AlterTopic", "kafka-cluster:CreateTopic",
                                        "kafka-cluster:DeleteTopic", "kafka-cluster:DescribeTopic",
                                        "kafka-cluster:ReadData", "kafka-cluster:WriteData"),
                                "Resource", ARN + "topic/fff-streaming-druid-msk/*"),
                        Map.of("Sid", "ConsumeAsConfiguredGroups", "Effect", "Allow",
                                "Action", List.of("kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"),
                                "Resource", ARN + "group/fff-streaming-druid-msk/*"))))));
    }

    @Test
    void theBootstrapServersAreExportedUnderTheSeedsName() {
        Template template = Deployments.synth(Deployments.seed004()).template();

        template.hasOutput("DruidKafkaBootstrapServers", Match.objectLike(Map.of(
                "Value", getAtt(logicalId(template, "Custom::MskBootstrapBrokers"), "BootstrapBrokerStringSaslIam"),
                "Export", Map.of("Name", "fff-streaming-inlet-DruidKafkaBootstrapServers"))));
    }

    @Test
    void withoutAWarehouseThereIsNoIngestServiceAndSynthSaysWhichKeyAddsIt() {
        Deployments.Synthesized synthesized = Deployments.synth(Deployments.seed004());

        for (String type : List.of("AWS::ECS::Service", "AWS::ElasticLoadBalancingV2::LoadBalancer",
                "AWS::SecretsManager::Secret", "AWS::CloudWatch::Alarm", "AWS::KMS::Key")) {
            synthesized.template().resourceCountIs(type, 0);
        }
        Annotations.fromStack(synthesized.stack()).hasInfo("/fff-streaming-inlet",
                Match.stringLikeRegexp("No Inlet ingest service: hosted:inlet:warehouse:endpoint is not set.*"));
    }

    @Test
    void withoutAnOidcProviderThereIsNoServiceAccountRoleAndSynthSaysWhichKeyAddsIt() {
        Deployments.Synthesized synthesized = Deployments.synth(Deployments.seed004());

        assertThat(TemplateQueries.resources(synthesized.template(), "AWS::IAM::Role").values())
                .noneMatch(role -> "fff-streaming-druid-msk-sa".equals(
                        TemplateQueries.properties(role).get("RoleName")));
        Annotations.fromStack(synthesized.stack()).hasInfo("/fff-streaming-inlet/Druid", Match.stringLikeRegexp(
                "No IAM role fff-streaming-druid-msk-sa for Druid's service account: set "
                        + "hosted:eks:druid:oidc-provider-arn .*"));
    }

    @Test
    void theOidcProviderAddsTheServiceAccountRoleInNamespaceApi() {
        Template template = Deployments.synth(Deployments.seed004WithOidcProvider()).template();
        String issuer = "oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
        String policy = logicalId(template, "AWS::IAM::ManagedPolicy",
                p -> "fff-streaming-druid-cluster-access".equals(p.get("ManagedPolicyName")));

        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "RoleName", "fff-streaming-druid-msk-sa",
                "ManagedPolicyArns", List.of(ref(policy)),
                "AssumeRolePolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Effect", "Allow",
                        "Action", "sts:AssumeRoleWithWebIdentity",
                        "Principal", Map.of("Federated", Deployments.OIDC_PROVIDER),
                        "Condition", Map.of("StringEquals", Map.of(
                                issuer + ":sub", "system:serviceaccount:api:fff-streaming-druid-msk-sa",
                                issuer + ":aud", "sts.amazonaws.com"))))))));
        template.hasOutput("DruidServiceAccountRoleArn", Match.objectLike(Map.of(
                "Export", Map.of("Name", "fff-streaming-inlet-DruidServiceAccountRoleArn"))));
    }

    @Test
    void keysTheSeedLacksTakeTheirDocumentedDefaults() {
        var context = ContextModelTest.read(Deployments.seed004());

        assertThat(context.deployment().release()).isEqualTo("streaming");
        assertThat(context.deployment().domain()).isEqualTo("inlet");
        assertThat(context.deployment().partOf()).isEqualTo("fff.streaming.inlet");
        assertThat(context.druid().orElseThrow().clientCidrs()).containsExactly("10.40.0.0/16");
        assertThat(context.druid().orElseThrow().topic()).isEqualTo("events");
        assertThat(context.warehouse()).isEmpty();
        Deployments.synth(Deployments.seed004()).template().hasResourceProperties("AWS::MSK::ServerlessCluster",
                Match.objectLike(Map.of("Tags", Match.objectLike(Map.of(
                        "inlet:resource-type", "msk", "inlet:component", "fff-streaming-druid-msk")))));
    }

    @Test
    void theSupervisorSpecIsAnOutputWithTheBrokersOfTheIamListener() {
        Template template = Deployments.synth(Deployments.seed004()).template();
        String brokers = logicalId(template, "Custom::MskBootstrapBrokers");

        template.hasOutput("DruidSupervisorSpec", Match.objectLike(Map.of("Value", Map.of("Fn::Join", List.of("",
                List.of(Match.stringLikeRegexp(".*\"bootstrap.servers\":\"$"),
                        getAtt(brokers, "BootstrapBrokerStringSaslIam"),
                        Match.stringLikeRegexp("^\",\"security.protocol\":\"SASL_SSL\",\"sasl.mechanism\":"
                                + "\"AWS_MSK_IAM\".*")))))));
        assertThat(DruidSupervisorSpec.render("b:9098", "events")).contains("\"topic\": \"events\"");
    }
}
