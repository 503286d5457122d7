package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.getAtt;
import static io.inlet.infra.TemplateQueries.logicalId;
import static io.inlet.infra.TemplateQueries.privateSubnets;
import static io.inlet.infra.TemplateQueries.properties;
import static io.inlet.infra.TemplateQueries.ref;
import static io.inlet.infra.TemplateQueries.resources;
import static org.assertj.core.api.Assertions.assertThat;

/** The way in to the API: an internal load balancer for the configured clients, checking the tasks' /readyz. */
class ApiLoadBalancerTest {

    private static String apiGroup(Template template) {
        return logicalId(template, "AWS::EC2::SecurityGroup",
                p -> "fff-streaming-inlet-api-sg".equals(p.get("GroupName")));
    }

    private static String serviceGroup(Template template) {
        return logicalId(template, "AWS::EC2::SecurityGroup",
                p -> "fff-streaming-inlet-ingest-sg".equals(p.get("GroupName")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLoadBalancerIsInternalInThePrivateSubnetsAndLogsToItsBucket() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String bucket = logicalId(template, "AWS::S3::Bucket");

        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.objectLike(Map.of(
                "Scheme", "internal",
                "Type", "application",
                "Subnets", privateSubnets(template).stream().map(TemplateQueries::ref).toList(),
                "SecurityGroups", List.of(getAtt(apiGroup(template), "GroupId")))));
        assertThat((List<Object>) properties(resources(template, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
                .iterator().next()).get("LoadBalancerAttributes")).contains(
                (Object) Map.of("Key", "access_logs.s3.enabled", "Value", "true"),
                Map.of("Key", "access_logs.s3.bucket", "Value", ref(bucket)),
                Map.of("Key", "access_logs.s3.prefix", "Value", "api"),
                Map.of("Key", "routing.http.drop_invalid_header_fields.enabled", "Value", "true"));
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "LifecycleConfiguration", Map.of("Rules", List.of(Map.of("ExpirationInDays", 30,
                        "Status", "Enabled"))))));
    }

    @Test
    void onlyTheConfiguredCidrsAndGroupsMayReachTheListener() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        assertThat(properties(resources(template, "AWS::EC2::SecurityGroup").get(apiGroup(template))))
                .containsEntry("GroupDescription",
                        "Load balancer of the ingest API of fff-streaming-inlet: only the configured clients")
                .containsEntry("SecurityGroupIngress", List.of(
                        Map.of("IpProtocol", "tcp", "FromPort", 80, "ToPort", 80, "CidrIp", "10.20.0.0/16",
                                "Description", "From API clients at 10.20.0.0/16"),
                        Map.of("IpProtocol", "tcp", "FromPort", 80, "ToPort", 80,
                                "SourceSecurityGroupId", "sg-0123456789abcdef0",
                                "Description", "From API clients in sg-0123456789abcdef0")));
    }

    @Test
    void theLoadBalancerReachesOnlyTheTasksApiPort() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String api = apiGroup(template);
        String service = serviceGroup(template);

        assertThat(TemplateQueries.resources(template, "AWS::EC2::SecurityGroupEgress").values().stream()
                .map(TemplateQueries::properties)
                .filter(rule -> getAtt(api, "GroupId").equals(rule.get("GroupId"))).toList()).containsExactly(Map.of(
                "IpProtocol", "tcp", "FromPort", 8030, "ToPort", 8030, "Description", "Load balancer to target",
                "GroupId", getAtt(api, "GroupId"), "DestinationSecurityGroupId", getAtt(service, "GroupId")));
        template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
                "IpProtocol", "tcp", "FromPort", 8030, "ToPort", 8030, "Description", "Load balancer to target",
                "GroupId", getAtt(service, "GroupId"), "SourceSecurityGroupId", getAtt(api, "GroupId")));
    }

    @Test
    void theTargetGroupChecksReadinessOnTheApiPort() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "TargetType", "ip",
                "Protocol", "HTTP",
                "Port", 8030,
                "HealthCheckPath", "/readyz",
                "Matcher", Map.of("HttpCode", "200"),
                "HealthCheckIntervalSeconds", 10,
                "HealthyThresholdCount", 2,
                "UnhealthyThresholdCount", 3,
                "TargetGroupAttributes", Match.arrayWith(List.of(
                        Map.of("Key", "deregistration_delay.timeout_seconds", "Value", "30"))))));
        template.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of(
                "HealthCheckGracePeriodSeconds", 300,
                "LoadBalancers", List.of(Map.of("ContainerName", "ingest", "ContainerPort", 8030,
                        "TargetGroupArn", ref(logicalId(template, "AWS::ElasticLoadBalancingV2::TargetGroup")))))));
    }

    @Test
    void withACertificateTheListenerIsHttpsOnly() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
                "Port", 443,
                "Protocol", "HTTPS",
                "Certificates", List.of(Map.of("CertificateArn", Deployments.CERTIFICATE)),
                "SslPolicy", Match.stringLikeRegexp("ELBSecurityPolicy-TLS13-.*"))));
        assertThat(properties(resources(template, "AWS::EC2::SecurityGroup").get(apiGroup(template)))
                .get("SecurityGroupIngress").toString()).contains("FromPort=443").doesNotContain("FromPort=80");
    }

    @Test
    void withoutACertificateTheListenerIsHttp() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
                "Port", 80, "Protocol", "HTTP")));
    }

    @Test
    void theTokenStaysWithTheRuntimeAndTheLoadBalancerOnlyForwards() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
                "DefaultActions", List.of(Map.of("Type", "forward", "TargetGroupArn",
                        ref(logicalId(template, "AWS::ElasticLoadBalancingV2::TargetGroup")))))));
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::ListenerRule", 0);
    }
}
