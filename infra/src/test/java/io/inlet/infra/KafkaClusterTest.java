package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.getAtt;
import static io.inlet.infra.TemplateQueries.logicalId;
import static io.inlet.infra.TemplateQueries.privateSubnets;
import static io.inlet.infra.TemplateQueries.publicSubnets;
import static io.inlet.infra.TemplateQueries.ref;
import static io.inlet.infra.TemplateQueries.resources;

/** Cluster type, client authentication and broker settings of both cluster modes. */
class KafkaClusterTest {

    @Test
    void serverlessClusterAuthenticatesClientsWithIamInThePrivateSubnets() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String clusterGroup = logicalId(template, "AWS::EC2::SecurityGroup",
                p -> "fff-streaming-inlet-msk-sg".equals(p.get("GroupName")));

        template.resourceCountIs("AWS::MSK::ServerlessCluster", 1);
        template.resourceCountIs("AWS::MSK::Cluster", 0);
        template.hasResourceProperties("AWS::MSK::ServerlessCluster", Match.objectLike(Map.of(
                "ClusterName", "fff-streaming-inlet-msk",
                "ClientAuthentication", Map.of("Sasl", Map.of("Iam", Map.of("Enabled", true))),
                "VpcConfigs", List.of(Map.of(
                        "SubnetIds", privateSubnets(template).stream().map(TemplateQueries::ref).toList(),
                        "SecurityGroups", List.of(getAtt(clusterGroup, "GroupId")))))));
    }

    @Test
    void provisionedClusterAllowsOnlySaslScramOverTls() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        template.resourceCountIs("AWS::MSK::ServerlessCluster", 0);
        template.hasResourceProperties("AWS::MSK::Cluster", Match.objectLike(Map.of(
                "ClientAuthentication", Map.of(
                        "Sasl", Map.of("Scram", Map.of("Enabled", true)),
                        "Unauthenticated", Map.of("Enabled", false)),
                "EncryptionInfo", Match.objectLike(Map.of(
                        "EncryptionInTransit", Map.of("ClientBroker", "TLS", "InCluster", true))))));
    }

    @Test
    void provisionedBrokersSpreadOverThePrivateSubnetsWithTheConfiguredSize() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        template.hasResourceProperties("AWS::MSK::Cluster", Match.objectLike(Map.of(
                "ClusterName", "fff-streaming-inlet-msk",
                "KafkaVersion", "3.9.x",
                "NumberOfBrokerNodes", 3,
                "BrokerNodeGroupInfo", Match.objectLike(Map.of(
                        "InstanceType", "kafka.m7g.large",
                        "ClientSubnets", privateSubnets(template).stream().map(TemplateQueries::ref).toList(),
                        "StorageInfo", Map.of("EBSStorageInfo", Map.of("VolumeSize", 500)),
                        "ConnectivityInfo", Match.absent())))));
    }

    @Test
    void provisionedBrokerVolumesUseTheDeploymentKey() {
        Template template = Deployments.synth(Deployments.provisioned()).template();
        String key = logicalId(template, "AWS::KMS::Key");

        template.hasResourceProperties("AWS::MSK::Cluster", Match.objectLike(Map.of(
                "EncryptionInfo", Match.objectLike(Map.of(
                        "EncryptionAtRest", Map.of("DataVolumeKMSKeyId", getAtt(key, "Arn")))))));
    }

    @Test
    void provisionedBrokersLogToCloudWatch() {
        Template template = Deployments.synth(Deployments.provisioned()).template();
        String logGroup = logicalId(template, "AWS::Logs::LogGroup",
                p -> TemplateQueries.instanceName("/inlet/fff-streaming/msk-brokers-").equals(p.get("LogGroupName")));

        template.hasResourceProperties("AWS::Logs::LogGroup", Map.of(
                "LogGroupName", TemplateQueries.instanceName("/inlet/fff-streaming/msk-brokers-"), "RetentionInDays", 30));
        template.hasResourceProperties("AWS::MSK::Cluster", Match.objectLike(Map.of(
                "LoggingInfo", Map.of("BrokerLogs", Map.of("CloudWatchLogs", Map.of(
                        "Enabled", true, "LogGroup", ref(logGroup)))))));
    }

    @Test
    void provisionedIamClusterEnablesIamAndNothingElse() {
        Template template = Deployments.synth(Deployments.provisionedIam()).template();

        template.hasResourceProperties("AWS::MSK::Cluster", Match.objectLike(Map.of(
                "ClientAuthentication", Map.of(
                        "Sasl", Map.of("Iam", Map.of("Enabled", true)),
                        "Unauthenticated", Map.of("Enabled", false)))));
        template.resourceCountIs("AWS::MSK::BatchScramSecret", 0);
    }

    @Test
    void publicAccessPutsBrokersInPublicSubnetsWithAclsRequired() {
        Template template = Deployments.synth(Deployments.publicAccess()).template();
        String configuration = logicalId(template, "AWS::MSK::Configuration");

        template.hasResourceProperties("AWS::MSK::Configuration", Map.of(
                "Name", "fff-streaming-inlet-msk-config",
                "Description", "Public access requires allow.everyone.if.no.acl.found=false",
                "KafkaVersionsList", List.of("3.9.x"),
                "ServerProperties", "allow.everyone.if.no.acl.found=false\nauto.create.topics.enable=false\n"));
        template.hasResourceProperties("AWS::MSK::Cluster", Match.objectLike(Map.of(
                "ConfigurationInfo", Map.of("Arn", getAtt(configuration, "Arn"), "Revision", 1),
                "BrokerNodeGroupInfo", Match.objectLike(Map.of(
                        "ClientSubnets", publicSubnets(template).stream().map(TemplateQueries::ref).toList(),
                        "ConnectivityInfo", Map.of("PublicAccess", Map.of("Type", "SERVICE_PROVIDED_EIPS")))))));
    }

    @Test
    void aPrivateCaTurnsOnTlsClientAuthenticationAndNothingElse() {
        Template template = Deployments.synth(Deployments.provisionedTls()).template();

        template.hasResourceProperties("AWS::MSK::Cluster", Match.objectLike(Map.of(
                "ClientAuthentication", Map.of(
                        "Tls", Map.of("Enabled", true, "CertificateAuthorityArnList", List.of(Deployments.PRIVATE_CA)),
                        "Unauthenticated", Map.of("Enabled", false)),
                "EncryptionInfo", Match.objectLike(Map.of("EncryptionInTransit",
                        Map.of("ClientBroker", "TLS", "InCluster", true))))));
    }

    @Test
    void bootstrapBrokersComeFromGetBootstrapBrokersOnTheCluster() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String cluster = logicalId(template, "AWS::MSK::ServerlessCluster");
        Object arn = getAtt(cluster, "Arn");

        template.resourceCountIs("Custom::MskBootstrapBrokers", 1);
        template.hasResourceProperties("Custom::MskBootstrapBrokers", Match.objectLike(Map.of(
                "InstallLatestAwsSdk", false,
                "Create", Map.of("Fn::Join", List.of("", List.of(
                        "{\"action\":\"getBootstrapBrokers\",\"service\":\"Kafka\",\"outputPaths\":"
                                + "[\"BootstrapBrokerStringSaslIam\"],\"parameters\":{\"ClusterArn\":\"",
                        arn, "\"},\"physicalResourceId\":{\"id\":\"", arn, "\"}}"))))));
        resources(template, "Custom::MskBootstrapBrokers").values().forEach(r ->
                org.assertj.core.api.Assertions.assertThat((List<Object>) r.get("DependsOn")).contains(cluster));
    }
}
