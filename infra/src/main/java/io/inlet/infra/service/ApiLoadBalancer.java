package io.inlet.infra.service;

import io.inlet.infra.context.ServiceSettings;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import io.inlet.infra.network.Network;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

import java.util.List;

/**
 * The way in to the ingest API: an internal Application Load Balancer in the private subnets, HTTPS with the
 * configured certificate (else HTTP), open only to the configured CIDRs and security groups, forwarding to the tasks'
 * API port. Its target group checks {@code /readyz}, so a task restoring its jobs gets no requests; the API's bearer
 * token stays with the runtime (Secrets Manager), the load balancer passes the header through. Access logs go to a
 * bucket of their own.
 */
public final class ApiLoadBalancer extends Construct {
    /** The runtime's readiness endpoint (no token): 200 once the replica restored its jobs, 503 before or broken. */
    public static final String READINESS_PATH = "/readyz";

    private final ApplicationLoadBalancer loadBalancer;
    private final Bucket accessLogs;
    private final String url;

    public ApiLoadBalancer(Construct scope, String id, ServiceSettings settings, Network network,
                           FargateService service, Names names, ResourceTags tags) {
        super(scope, id);
        boolean https = settings.apiCertificateArn().isPresent();
        int port = https ? 443 : 80;

        SecurityGroup group = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(network.vpc())
                .securityGroupName(names.component("api-sg"))
                .description("Load balancer of the ingest API of " + names.prefix() + ": only the configured clients")
                .allowAllOutbound(false)
                .build();
        for (String cidr : settings.apiAllowedCidrs()) {
            group.addIngressRule(Peer.ipv4(cidr), Port.tcp(port), "From API clients at " + cidr);
        }
        for (String securityGroup : settings.apiAllowedSecurityGroups()) {
            group.addIngressRule(Peer.securityGroupId(securityGroup), Port.tcp(port),
                    "From API clients in " + securityGroup);
        }

        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                // Load balancer access logs support SSE-S3 only.
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .expiration(Duration.days(settings.logRetentionDays())).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
                .vpc(network.vpc())
                .internetFacing(false)
                .vpcSubnets(network.privateSubnets())
                .securityGroup(group)
                .dropInvalidHeaderFields(true)
                .build();
        loadBalancer.logAccessLogs(accessLogs, "api");

        ApplicationTargetGroup targets = ApplicationTargetGroup.Builder.create(this, "Targets")
                .vpc(network.vpc())
                .targetType(TargetType.IP)
                .protocol(ApplicationProtocol.HTTP)
                .port(settings.apiPort())
                .healthCheck(HealthCheck.builder()
                        .path(READINESS_PATH)
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(10))
                        .timeout(Duration.seconds(5))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(3)
                        .build())
                // Shorter than the container's stop timeout: requests drain before SIGTERM's drain of the jobs ends.
                .deregistrationDelay(Duration.seconds(30))
                .build();
        targets.addTarget(service);

        BaseApplicationListenerProps.Builder listener = BaseApplicationListenerProps.builder()
                .port(port)
                .protocol(https ? ApplicationProtocol.HTTPS : ApplicationProtocol.HTTP)
                .open(false)
                .defaultTargetGroups(List.of(targets));
        settings.apiCertificateArn().ifPresent(arn -> listener
                .certificates(List.of(ListenerCertificate.fromArn(arn)))
                .sslPolicy(SslPolicy.RECOMMENDED_TLS));
        loadBalancer.addListener("Listener", listener.build());
        url = (https ? "https://" : "http://") + loadBalancer.getLoadBalancerDnsName();

        tags.apply(this, "elb", "network", names.component("api"));
        tags.apply(accessLogs, "s3", "observability", names.component("api-access-logs"));
        tags.apply(group, "security-group", "security", names.component("api-sg"));
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    public Bucket accessLogs() {
        return accessLogs;
    }

    /** {@code https://} or {@code http://} and the load balancer's DNS name. */
    public String url() {
        return url;
    }
}
