package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.getAtt;
import static io.inlet.infra.TemplateQueries.logicalId;
import static io.inlet.infra.TemplateQueries.properties;
import static io.inlet.infra.TemplateQueries.resources;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each security-group rule and port: the ingest service reaches the brokers on its auth mode's private port only, public
 * clients the public listener from their CIDRs, Druid's pods the IAM listener from theirs.
 */
class SecurityGroupsTest {

    private static String clusterGroup(Template template) {
        return logicalId(template, "AWS::EC2::SecurityGroup",
                p -> "fff-streaming-inlet-msk-sg".equals(p.get("GroupName")));
    }

    private static String serviceGroup(Template template) {
        return logicalId(template, "AWS::EC2::SecurityGroup",
                p -> "fff-streaming-inlet-ingest-sg".equals(p.get("GroupName")));
    }

    private static List<Map<String, Object>> rules(Template template, String type) {
        return resources(template, type).values().stream().map(TemplateQueries::properties).toList();
    }

    private static Map<String, Object> groupRule(Template template, String from, String to, int port,
                                                 String description) {
        return Map.of("IpProtocol", "tcp", "FromPort", port, "ToPort", port, "Description", description,
                "GroupId", getAtt(to, "GroupId"), "SourceSecurityGroupId", getAtt(from, "GroupId"));
    }

    /** The standalone rules of one group (CDK adds the load balancer's rules for the API as such rules too). */
    private static List<Map<String, Object>> rules(Template template, String type, String group) {
        return rules(template, type).stream().filter(r -> getAtt(group, "GroupId").equals(r.get("GroupId"))).toList();
    }

    @Test
    void serverlessBrokersAcceptTheServiceOnTheIamPortOnly() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String cluster = clusterGroup(template);
        String service = serviceGroup(template);

        assertThat(rules(template, "AWS::EC2::SecurityGroupIngress", cluster)).containsExactly(groupRule(template,
                service, cluster, 9098, "From the ingest service to the MSK IAM listener (9098)"));
        assertThat(rules(template, "AWS::EC2::SecurityGroupEgress", service)).containsExactly(Map.of(
                "IpProtocol", "tcp", "FromPort", 9098, "ToPort", 9098,
                "Description", "To the MSK IAM listener (9098)",
                "GroupId", getAtt(service, "GroupId"), "DestinationSecurityGroupId", getAtt(cluster, "GroupId")));
    }

    @Test
    void scramBrokersAcceptTheServiceOnPort9096Only() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        assertThat(rules(template, "AWS::EC2::SecurityGroupIngress", clusterGroup(template))).containsExactly(
                groupRule(template, serviceGroup(template), clusterGroup(template), 9096,
                        "From the ingest service to the MSK SCRAM listener (9096)"));
        assertThat(rules(template, "AWS::EC2::SecurityGroupEgress", serviceGroup(template))).singleElement()
                .satisfies(rule -> assertThat(rule).containsEntry("FromPort", 9096).containsEntry("ToPort", 9096));
    }

    @Test
    void provisionedIamBrokersAcceptTheServiceOnPort9098Only() {
        Template template = Deployments.synth(Deployments.provisionedIam()).template();

        assertThat(rules(template, "AWS::EC2::SecurityGroupIngress", clusterGroup(template))).containsExactly(
                groupRule(template, serviceGroup(template), clusterGroup(template), 9098,
                        "From the ingest service to the MSK IAM listener (9098)"));
    }

    @Test
    void tlsBrokersAcceptTheServiceOnPort9094Only() {
        Template template = Deployments.synth(Deployments.provisionedTls()).template();

        assertThat(rules(template, "AWS::EC2::SecurityGroupIngress", clusterGroup(template))).containsExactly(
                groupRule(template, serviceGroup(template), clusterGroup(template), 9094,
                        "From the ingest service to the MSK TLS listener (9094)"));
        assertThat(rules(template, "AWS::EC2::SecurityGroupEgress", serviceGroup(template))).singleElement()
                .satisfies(rule -> assertThat(rule).containsEntry("FromPort", 9094).containsEntry("ToPort", 9094));
    }

    @Test
    void publicAccessOpensThePublicListenerToItsClientsAndKeepsTheServiceOnThePrivateOne() {
        Template template = Deployments.synth(Deployments.publicAccess()).template();
        String cluster = clusterGroup(template);

        assertThat(rules(template, "AWS::EC2::SecurityGroupIngress", cluster)).containsExactly(groupRule(template,
                serviceGroup(template), cluster, 9096, "From the ingest service to the MSK SCRAM listener (9096)"));
        assertThat(inline(template, cluster, "SecurityGroupIngress")).containsExactly(Map.of(
                "IpProtocol", "tcp", "FromPort", 9196, "ToPort", 9196, "CidrIp", "203.0.113.0/24",
                "Description", "From clients at 203.0.113.0/24 to the MSK SCRAM public listener (9196)"));
        assertThat(inline(template, serviceGroup(template), "SecurityGroupEgress"))
                .noneMatch(rule -> rule.get("FromPort").equals(9196));
    }

    @Test
    void publicIamAccessInAnImportedVpcKeepsTheServiceOnThePrivateListener() {
        Template template = Deployments.synth(Deployments.importedPublicIam()).template();
        String cluster = clusterGroup(template);

        assertThat(rules(template, "AWS::EC2::SecurityGroupIngress", cluster)).containsExactly(groupRule(template,
                serviceGroup(template), cluster, 9098, "From the ingest service to the MSK IAM listener (9098)"));
        assertThat(inline(template, cluster, "SecurityGroupIngress")).containsExactly(Map.of(
                "IpProtocol", "tcp", "FromPort", 9198, "ToPort", 9198, "CidrIp", "198.51.100.0/24",
                "Description", "From clients at 198.51.100.0/24 to the MSK IAM public listener (9198)"));
    }

    @Test
    void druidsPodsReachTheIamListenerFromTheirCidrsOnly() {
        Template template = Deployments.synth(Deployments.druidBesideTheService()).template();

        assertThat(inline(template, clusterGroup(template), "SecurityGroupIngress")).containsExactly(
                Map.of("IpProtocol", "tcp", "FromPort", 9098, "ToPort", 9098, "CidrIp", "10.40.0.0/16",
                        "Description", "From Druid's pods at 10.40.0.0/16 to the MSK IAM listener (9098)"),
                Map.of("IpProtocol", "tcp", "FromPort", 9098, "ToPort", 9098, "CidrIp", "100.64.0.0/16",
                        "Description", "From Druid's pods at 100.64.0.0/16 to the MSK IAM listener (9098)"));
    }

    @Test
    void theClusterGroupAllowsNothingElseInOrOut() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String cluster = clusterGroup(template);

        assertThat(inline(template, cluster, "SecurityGroupIngress")).isEmpty();
        assertThat(inline(template, cluster, "SecurityGroupEgress")).containsExactly(Map.of(
                "CidrIp", "255.255.255.255/32", "Description", "Disallow all traffic", "FromPort", 252,
                "IpProtocol", "icmp", "ToPort", 86));
    }

    @Test
    void theServiceMayLeaveOnlyForHttpsAndTheWarehousePorts() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        assertThat(inline(template, serviceGroup(template), "SecurityGroupIngress")).isEmpty();
        assertThat(inline(template, serviceGroup(template), "SecurityGroupEgress")).containsExactly(
                Map.of("IpProtocol", "tcp", "FromPort", 443, "ToPort", 443, "CidrIp", "0.0.0.0/0", "Description",
                        "To AWS APIs over HTTPS through the NAT gateway: ECR, Secrets Manager, CloudWatch, MSK, Kinesis"),
                Map.of("IpProtocol", "tcp", "FromPort", 8030, "ToPort", 8030, "CidrIp", "10.0.0.0/8",
                        "Description", "To the starrocks warehouse on port 8030"),
                Map.of("IpProtocol", "tcp", "FromPort", 8040, "ToPort", 8040, "CidrIp", "10.0.0.0/8",
                        "Description", "To the starrocks warehouse on port 8040"),
                Map.of("IpProtocol", "tcp", "FromPort", 9030, "ToPort", 9030, "CidrIp", "10.0.0.0/8",
                        "Description", "To the starrocks warehouse on port 9030"));
    }

    @Test
    void everyGroupAndRuleHasADescription() {
        for (Map<String, Object> context : List.of(Deployments.serverless(), Deployments.provisioned(),
                Deployments.publicAccess(), Deployments.importedPublicIam(), Deployments.provisionedTls(),
                Deployments.seed004())) {
            Template template = Deployments.synth(context).template();

            assertThat(resources(template, "AWS::EC2::SecurityGroup").values()).allSatisfy(group -> {
                assertThat((String) properties(group).get("GroupDescription")).isNotBlank();
                for (String direction : List.of("SecurityGroupIngress", "SecurityGroupEgress")) {
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> inline = (List<Map<String, Object>>) properties(group)
                            .getOrDefault(direction, List.of());
                    assertThat(inline).allSatisfy(rule -> assertThat((String) rule.get("Description")).isNotBlank());
                }
            });
            for (String type : List.of("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")) {
                assertThat(rules(template, type))
                        .allSatisfy(rule -> assertThat((String) rule.get("Description")).isNotBlank());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> inline(Template template, String group, String direction) {
        return (List<Map<String, Object>>) properties(resources(template, "AWS::EC2::SecurityGroup").get(group))
                .getOrDefault(direction, List.of());
    }
}
