package io.inlet.infra.network;

import io.inlet.infra.context.KafkaSettings;
import io.inlet.infra.context.WarehouseSettings;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.constructs.Construct;

import java.util.List;

/**
 * The two security groups and every rule between them: the ingest service may reach the brokers only on the port of
 * the configured auth mode; otherwise it may reach AWS APIs over HTTPS and the warehouse on its ports. Neither group
 * allows anything by default.
 */
public final class ClusterAccess extends Construct {
    private final SecurityGroup clusterGroup;
    private final SecurityGroup serviceGroup;

    public ClusterAccess(Construct scope, String id, Network network, KafkaSettings kafka,
                         WarehouseSettings warehouse, Names names, ResourceTags tags) {
        super(scope, id);
        int port = kafka.clientPort();
        String listener = kafka.auth().name() + (kafka.publicAccess() ? " public" : "") + " listener";

        clusterGroup = SecurityGroup.Builder.create(this, "ClusterSecurityGroup")
                .vpc(network.vpc())
                .securityGroupName(names.component("msk-sg"))
                .description("MSK brokers of " + names.msk() + ": only the ingest service, on port " + port)
                .allowAllOutbound(false)
                .build();
        serviceGroup = SecurityGroup.Builder.create(this, "ServiceSecurityGroup")
                .vpc(network.vpc())
                .securityGroupName(names.component("ingest-sg"))
                .description("Ingest service of " + names.prefix() + ": MSK on port " + port
                        + ", AWS APIs over HTTPS, the warehouse")
                .allowAllOutbound(false)
                .build();

        clusterGroup.addIngressRule(serviceGroup, Port.tcp(port),
                "From the ingest service to the MSK " + listener + " (" + port + ")");
        serviceGroup.addEgressRule(clusterGroup, Port.tcp(port),
                "To the MSK " + listener + " (" + port + ")");
        if (kafka.publicAccess()) {
            // The service reaches public broker endpoints through its NAT gateways, so the brokers see the NAT's
            // Elastic IP rather than the service's group; the brokers' public IPs are assigned by MSK after deploy.
            List<String> natIps = network.natPublicIps();
            for (int i = 0; i < natIps.size(); i++) {
                clusterGroup.addIngressRule(Peer.ipv4(Fn.join("", List.of(natIps.get(i), "/32"))), Port.tcp(port),
                        "From the ingest service through NAT gateway " + (i + 1) + " to the MSK " + listener
                                + " (" + port + ")");
            }
            serviceGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(port),
                    "To the public MSK " + listener + " (" + port + "), whose addresses MSK assigns");
        }

        serviceGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443),
                "To AWS APIs over HTTPS through the NAT gateway: ECR, Secrets Manager, CloudWatch, MSK, Kinesis");
        for (int warehousePort : warehouse.ports()) {
            serviceGroup.addEgressRule(Peer.ipv4(warehouse.cidr()), Port.tcp(warehousePort),
                    "To the " + warehouse.type().name().toLowerCase() + " warehouse on port " + warehousePort);
        }
        tags.apply(clusterGroup, "security-group", "security", names.component("msk-sg"));
        tags.apply(serviceGroup, "security-group", "security", names.component("ingest-sg"));
    }

    public SecurityGroup clusterGroup() {
        return clusterGroup;
    }

    public SecurityGroup serviceGroup() {
        return serviceGroup;
    }
}
