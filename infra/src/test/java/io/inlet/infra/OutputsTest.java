package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.getAtt;
import static io.inlet.infra.TemplateQueries.logicalId;
import static org.assertj.core.api.Assertions.assertThat;

/** Output names and export names: {@code {stackName}-BootstrapServers} and the rest. */
class OutputsTest {

    private static String bootstrap(Template template) {
        return logicalId(template, "Custom::MskBootstrapBrokers");
    }

    @Test
    void serverlessStackExportsItsOutputsUnderTheStackName() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        assertThat(template.findOutputs("*").keySet()).containsExactlyInAnyOrder("BootstrapServers", "ClusterArn",
                "ClusterName", "ServiceName", "EcsClusterName", "TaskRoleArn", "ServiceSecurityGroupId",
                "ApiTokenSecretArn", "AlarmTopicArn", "LogGroupName", "VpcId", "ApiUrl");
        template.findOutputs("*").forEach((id, output) -> assertThat(output)
                .containsEntry("Export", Map.of("Name", Deployments.STACK + "-" + id)));
    }

    @Test
    void bootstrapServersIsTheIamStringFromTheCustomResource() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasOutput("BootstrapServers", Match.objectLike(Map.of(
                "Value", getAtt(bootstrap(template), "BootstrapBrokerStringSaslIam"),
                "Export", Map.of("Name", "fff-streaming-inlet-BootstrapServers"))));
        template.hasOutput("ClusterArn", Match.objectLike(Map.of(
                "Value", getAtt(logicalId(template, "AWS::MSK::ServerlessCluster"), "Arn"),
                "Export", Map.of("Name", "fff-streaming-inlet-ClusterArn"))));
    }

    @Test
    void provisionedScramStackAlsoExportsTheScramStringAndSecret() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        assertThat(template.findOutputs("*").keySet()).contains("BootstrapServersSaslScram", "ScramSecretArn",
                "KinesisStreamArn", "KinesisStreamName");
        template.hasOutput("BootstrapServers", Match.objectLike(Map.of(
                "Value", getAtt(bootstrap(template), "BootstrapBrokerStringSaslScram"),
                "Export", Map.of("Name", "fff-streaming-inlet-BootstrapServers"))));
        template.hasOutput("BootstrapServersSaslScram", Match.objectLike(Map.of(
                "Value", getAtt(bootstrap(template), "BootstrapBrokerStringSaslScram"),
                "Export", Map.of("Name", "fff-streaming-inlet-BootstrapServersSaslScram"))));
        template.hasOutput("ScramSecretArn", Match.objectLike(Map.of(
                "Export", Map.of("Name", "fff-streaming-inlet-ScramSecretArn"))));
        template.hasOutput("KinesisStreamArn", Match.objectLike(Map.of(
                "Value", getAtt(logicalId(template, "AWS::Kinesis::Stream"), "Arn"),
                "Export", Map.of("Name", "fff-streaming-inlet-KinesisStreamArn"))));
        template.hasOutput("KinesisStreamName", Match.objectLike(Map.of(
                "Value", Map.of("Ref", logicalId(template, "AWS::Kinesis::Stream")),
                "Export", Map.of("Name", "fff-streaming-inlet-KinesisStreamName"))));
    }

    @Test
    void publicAccessAddsThePublicStringAndKeepsThePrivateOneAsBootstrapServers() {
        Template template = Deployments.synth(Deployments.publicAccess()).template();

        template.hasOutput("BootstrapServers", Match.objectLike(Map.of(
                "Value", getAtt(bootstrap(template), "BootstrapBrokerStringSaslScram"))));
        template.hasOutput("BootstrapServersPublic", Match.objectLike(Map.of(
                "Value", getAtt(bootstrap(template), "BootstrapBrokerStringPublicSaslScram"),
                "Export", Map.of("Name", "fff-streaming-inlet-BootstrapServersPublic"))));
        template.hasOutput("BootstrapServersSaslScram", Match.objectLike(Map.of(
                "Value", getAtt(bootstrap(template), "BootstrapBrokerStringSaslScram"))));
        assertThat(TemplateQueries.properties(TemplateQueries.resources(template, "Custom::MskBootstrapBrokers")
                .values().iterator().next()).get("Create").toString()).contains(
                "\"outputPaths\":[\"BootstrapBrokerStringSaslScram\",\"BootstrapBrokerStringPublicSaslScram\"]");
    }

    @Test
    void theApiUrlIsTheLoadBalancersAddressOverHttpsWithACertificateElseHttp() {
        Template https = Deployments.synth(Deployments.provisioned()).template();
        Template http = Deployments.synth(Deployments.serverless()).template();

        https.hasOutput("ApiUrl", Match.objectLike(Map.of("Value", Map.of("Fn::Join", List.of("", List.of("https://",
                getAtt(logicalId(https, "AWS::ElasticLoadBalancingV2::LoadBalancer"), "DNSName")))),
                "Export", Map.of("Name", "fff-streaming-inlet-ApiUrl"))));
        http.hasOutput("ApiUrl", Match.objectLike(Map.of("Value", Map.of("Fn::Join", List.of("", List.of("http://",
                getAtt(logicalId(http, "AWS::ElasticLoadBalancingV2::LoadBalancer"), "DNSName")))))));
    }

    @Test
    void everyOutputSaysWhatItIsFor() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        template.findOutputs("*").values().forEach(output ->
                assertThat((String) output.get("Description")).hasSizeGreaterThan(20));
    }
}
