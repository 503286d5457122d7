package io.inlet.infra.kafka;

import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import io.inlet.infra.network.ClusterAccess;
import io.inlet.infra.network.Network;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.msk.CfnServerlessCluster;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;
import software.constructs.IDependable;

import java.util.List;
import java.util.Optional;

/** MSK Serverless in the private subnets, IAM client authentication only (seed 004). */
public final class ServerlessKafka extends Construct implements KafkaCluster {
    private final CfnServerlessCluster cluster;
    private final String name;

    public ServerlessKafka(Construct scope, String id, Network network, ClusterAccess access, Names names,
                           ResourceTags tags) {
        super(scope, id);
        this.name = names.msk();
        cluster = CfnServerlessCluster.Builder.create(this, "Cluster")
                .clusterName(name)
                .vpcConfigs(List.of(CfnServerlessCluster.VpcConfigProperty.builder()
                        .subnetIds(network.vpc().getPrivateSubnets().stream().map(ISubnet::getSubnetId).toList())
                        .securityGroups(List.of(access.clusterGroup().getSecurityGroupId()))
                        .build()))
                .clientAuthentication(CfnServerlessCluster.ClientAuthenticationProperty.builder()
                        .sasl(CfnServerlessCluster.SaslProperty.builder()
                                .iam(CfnServerlessCluster.IamProperty.builder().enabled(true).build())
                                .build())
                        .build())
                .build();
        tags.apply(this, "msk", "compute", name);
    }

    @Override
    public String clusterArn() {
        return cluster.getAttrArn();
    }

    @Override
    public String clusterName() {
        return name;
    }

    @Override
    public Optional<ISecret> scramSecret() {
        return Optional.empty();
    }

    @Override
    public IDependable readyForClients() {
        return cluster;
    }
}
