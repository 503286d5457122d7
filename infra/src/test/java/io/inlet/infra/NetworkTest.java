package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.logicalId;
import static io.inlet.infra.TemplateQueries.privateSubnets;
import static io.inlet.infra.TemplateQueries.properties;
import static io.inlet.infra.TemplateQueries.ref;
import static io.inlet.infra.TemplateQueries.resources;
import static org.assertj.core.api.Assertions.assertThat;

/** The created VPC (private subnets, flow logs, zones resolved by CloudFormation) and the imported one. */
class NetworkTest {

    @Test
    void theCreatedVpcHasPrivateSubnetsInEveryZoneAndOneNatGateway() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasResourceProperties("AWS::EC2::VPC", Match.objectLike(Map.of("CidrBlock", "10.40.0.0/16")));
        assertThat(privateSubnets(template)).hasSize(2);
        template.resourceCountIs("AWS::EC2::NatGateway", 1);
        for (String subnet : privateSubnets(template)) {
            assertThat(properties(resources(template, "AWS::EC2::Subnet").get(subnet)))
                    .containsEntry("MapPublicIpOnLaunch", false);
        }
    }

    @Test
    void availabilityZonesAreResolvedByCloudFormationNotHardCoded() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        assertThat(resources(template, "AWS::EC2::Subnet").values().stream()
                .map(s -> properties(s).get("AvailabilityZone")).distinct().toList())
                .containsExactlyInAnyOrder(
                        Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))),
                        Map.of("Fn::Select", List.of(1, Map.of("Fn::GetAZs", ""))),
                        Map.of("Fn::Select", List.of(2, Map.of("Fn::GetAZs", ""))));
    }

    @Test
    void allTrafficOfTheVpcIsLoggedToARetainedLogGroup() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String logGroup = logicalId(template, "AWS::Logs::LogGroup",
                p -> TemplateQueries.instanceName("/inlet/fff-streaming/vpc-flow-logs-").equals(p.get("LogGroupName")));

        template.hasResourceProperties("AWS::Logs::LogGroup", Map.of(
                "LogGroupName", TemplateQueries.instanceName("/inlet/fff-streaming/vpc-flow-logs-"), "RetentionInDays", 30,
                "Tags", Match.anyValue()));
        template.hasResourceProperties("AWS::EC2::FlowLog", Match.objectLike(Map.of(
                "ResourceId", ref(logicalId(template, "AWS::EC2::VPC")),
                "ResourceType", "VPC",
                "TrafficType", "ALL",
                "LogDestinationType", "cloud-watch-logs",
                "LogGroupName", ref(logGroup))));
    }

    @Test
    void anImportedVpcIsUsedByIdWithoutALookupOrNewNetwork() {
        Template template = Deployments.synth(Deployments.importedVpc()).template();
        List<String> subnets = List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2");

        template.resourceCountIs("AWS::EC2::VPC", 0);
        template.resourceCountIs("AWS::EC2::Subnet", 0);
        template.resourceCountIs("AWS::EC2::NatGateway", 0);
        template.hasResourceProperties("AWS::EC2::SecurityGroup", Match.objectLike(Map.of(
                "GroupName", "fff-streaming-inlet-msk-sg", "VpcId", "vpc-0123456789abcdef0")));
        template.hasResourceProperties("AWS::MSK::ServerlessCluster", Match.objectLike(Map.of(
                "VpcConfigs", List.of(Match.objectLike(Map.of("SubnetIds", subnets))))));
        template.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of(
                "NetworkConfiguration", Map.of("AwsvpcConfiguration", Match.objectLike(Map.of(
                        "Subnets", subnets))))));
        template.hasOutput("VpcId", Match.objectLike(Map.of("Value", "vpc-0123456789abcdef0")));
    }

    @Test
    void publicBrokersOfAnImportedVpcUseItsPublicSubnets() {
        Template template = Deployments.synth(Deployments.importedPublicIam()).template();

        template.hasResourceProperties("AWS::MSK::Cluster", Match.objectLike(Map.of(
                "BrokerNodeGroupInfo", Match.objectLike(Map.of(
                        "ClientSubnets", List.of("subnet-0ccccccccccccccc3", "subnet-0ddddddddddddddd4"))))));
        template.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of(
                "NetworkConfiguration", Map.of("AwsvpcConfiguration", Match.objectLike(Map.of(
                        "Subnets", List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2")))))));
    }
}
