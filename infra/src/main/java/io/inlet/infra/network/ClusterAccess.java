package io.inlet.infra.network;

import io.inlet.infra.context.DruidSettings;
import io.inlet.infra.context.KafkaSettings;
import io.inlet.infra.context.WarehouseSettings;
import io.inlet.infra.kafka.AuthMode;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.constructs.Construct;

import java.util.Optional;

/**
 * The brokers' security group, the ingest service's, and every rule between them: the service may reach the brokers
 * only on the private listener of its auth mode; otherwise it may reach AWS APIs over HTTPS and the warehouse on its
 * ports. Clients outside the VPC reach the public listener from their configured CIDRs only; Druid's pods (seed 004)
 * the IAM listener from theirs. No group allows anything by default.
 * <p>
 * Group names and descriptions are fixed per deployment (CloudFormation replaces a group whose description changes,
 * which a fixed name turns into a failed deploy): what a group allows lives only in its rules.
 */
public final class ClusterAccess extends Construct {
    private final SecurityGroup clusterGroup;
    private final SecurityGroup serviceGroup;

    public ClusterAccess(Construct scope, String id, Network network, KafkaSettings kafka,
                         Optional<WarehouseSettings> warehouse, Optional<DruidSettings> druid, Names names,
                         ResourceTags tags) {
        super(scope, id);
        clusterGroup = SecurityGroup.Builder.create(this, "ClusterSecurityGroup")
                .vpc(network.vpc())
                .securityGroupName(names.component("msk-sg"))
                .description("MSK brokers of " + names.msk() + ": only the clients its rules name")
                .allowAllOutbound(false)
                .build();
        tags.apply(clusterGroup, "security-group", "security", names.component("msk-sg"));

        if (kafka.publicAccess()) {
            int port = kafka.publicPort();
            for (String cidr : kafka.publicClientCidrs()) {
                clusterGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(port),
                        "From clients at " + cidr + " to the MSK " + kafka.auth().name() + " public listener (" + port
                                + ")");
            }
        }
        druid.ifPresent(d -> d.clientCidrs().forEach(cidr -> clusterGroup.addIngressRule(Peer.ipv4(cidr),
                Port.tcp(AuthMode.IAM.port(false)), "From Druid's pods at " + cidr + " to the MSK IAM listener ("
                        + AuthMode.IAM.port(false) + ")")));

        if (warehouse.isEmpty()) {
            serviceGroup = null;
            return;
        }
        int port = kafka.clientPort();
        String listener = kafka.auth().name() + " listener";
        serviceGroup = SecurityGroup.Builder.create(this, "ServiceSecurityGroup")
                .vpc(network.vpc())
                .securityGroupName(names.component("ingest-sg"))
                .description("Ingest service of " + names.prefix() + ": MSK, AWS APIs over HTTPS, the warehouse, "
                        + "API clients through its load balancer")
                .allowAllOutbound(false)
                .build();
        clusterGroup.addIngressRule(serviceGroup, Port.tcp(port),
                "From the ingest service to the MSK " + listener + " (" + port + ")");
        serviceGroup.addEgressRule(clusterGroup, Port.tcp(port), "To the MSK " + listener + " (" + port + ")");
        serviceGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443),
                "To AWS APIs over HTTPS through the NAT gateway: ECR, Secrets Manager, CloudWatch, MSK, Kinesis");
        WarehouseSettings w = warehouse.get();
        for (int warehousePort : w.ports()) {
            serviceGroup.addEgressRule(Peer.ipv4(w.cidr()), Port.tcp(warehousePort),
                    "To the " + w.type().name().toLowerCase() + " warehouse on port " + warehousePort);
        }
        tags.apply(serviceGroup, "security-group", "security", names.component("ingest-sg"));
    }

    public SecurityGroup clusterGroup() {
        return clusterGroup;
    }

    /** The ingest service's group; only with a warehouse. */
    public SecurityGroup serviceGroup() {
        if (serviceGroup == null) {
            throw new IllegalStateException("No ingest service without a warehouse");
        }
        return serviceGroup;
    }
}
