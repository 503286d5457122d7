package io.inlet.infra.kafka;

import io.inlet.infra.context.KafkaSettings;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import io.inlet.infra.network.ClusterAccess;
import io.inlet.infra.network.Network;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.msk.CfnBatchScramSecret;
import software.amazon.awscdk.services.msk.CfnCluster;
import software.amazon.awscdk.services.msk.CfnConfiguration;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.RemovalPolicy;
import software.constructs.Construct;
import software.constructs.DependencyGroup;
import software.constructs.IDependable;

import java.util.List;
import java.util.Optional;

/**
 * A provisioned MSK cluster: TLS only in transit and between brokers, no unauthenticated access, volumes under the
 * deployment's KMS key, broker logs to CloudWatch; SASL/SCRAM (seed 000) through an {@code AmazonMSK_} secret under
 * that key associated with {@code AWS::MSK::BatchScramSecret}, or IAM (seed 003); with an ACM Private CA, TLS client
 * authentication (port 9094) for certificates it issues, as well or alone.
 */
public final class ProvisionedKafka extends Construct implements KafkaCluster {
    private final CfnCluster cluster;
    private final String name;
    private final Secret scramSecret;
    private final DependencyGroup ready = new DependencyGroup();

    public ProvisionedKafka(Construct scope, String id, KafkaSettings kafka, Network network, ClusterAccess access,
                            IKey key, Names names, ResourceTags tags, int logRetentionDays) {
        super(scope, id);
        this.name = names.msk();
        LogGroup brokerLogs = LogGroup.Builder.create(this, "BrokerLogs")
                .logGroupName(names.logGroup("msk-brokers"))
                .removalPolicy(RemovalPolicy.RETAIN)
                .retention(RetentionDays.valueOf(Network.retentionName(logRetentionDays)))
                .build();

        List<ISubnet> subnets = kafka.publicSubnets() ? network.vpc().getPublicSubnets()
                : network.vpc().getPrivateSubnets();
        CfnCluster.BrokerNodeGroupInfoProperty.Builder brokers = CfnCluster.BrokerNodeGroupInfoProperty.builder()
                .instanceType(kafka.brokerInstanceType())
                .clientSubnets(subnets.stream().map(ISubnet::getSubnetId).toList())
                .securityGroups(List.of(access.clusterGroup().getSecurityGroupId()))
                .storageInfo(CfnCluster.StorageInfoProperty.builder()
                        .ebsStorageInfo(CfnCluster.EBSStorageInfoProperty.builder()
                                .volumeSize(kafka.brokerVolumeGib()).build())
                        .build());
        if (kafka.publicAccess()) {
            brokers.connectivityInfo(CfnCluster.ConnectivityInfoProperty.builder()
                    .publicAccess(CfnCluster.PublicAccessProperty.builder().type("SERVICE_PROVIDED_EIPS").build())
                    .build());
        }

        CfnCluster.ClientAuthenticationProperty.Builder clientAuthentication =
                CfnCluster.ClientAuthenticationProperty.builder()
                        .unauthenticated(CfnCluster.UnauthenticatedProperty.builder().enabled(false).build());
        if (kafka.auth() == AuthMode.SCRAM) {
            clientAuthentication.sasl(CfnCluster.SaslProperty.builder()
                    .scram(CfnCluster.ScramProperty.builder().enabled(true).build()).build());
        } else if (kafka.auth() == AuthMode.IAM) {
            clientAuthentication.sasl(CfnCluster.SaslProperty.builder()
                    .iam(CfnCluster.IamProperty.builder().enabled(true).build()).build());
        }
        kafka.tlsCaArn().ifPresent(ca -> clientAuthentication.tls(CfnCluster.TlsProperty.builder()
                .enabled(true).certificateAuthorityArnList(List.of(ca)).build()));

        CfnCluster.Builder builder = CfnCluster.Builder.create(this, "Cluster")
                .clusterName(name)
                .kafkaVersion(kafka.kafkaVersion())
                .numberOfBrokerNodes(kafka.brokerCount())
                .brokerNodeGroupInfo(brokers.build())
                .clientAuthentication(clientAuthentication.build())
                .encryptionInfo(CfnCluster.EncryptionInfoProperty.builder()
                        .encryptionAtRest(CfnCluster.EncryptionAtRestProperty.builder()
                                .dataVolumeKmsKeyId(key.getKeyArn()).build())
                        .encryptionInTransit(CfnCluster.EncryptionInTransitProperty.builder()
                                .clientBroker("TLS").inCluster(true).build())
                        .build())
                .loggingInfo(CfnCluster.LoggingInfoProperty.builder()
                        .brokerLogs(CfnCluster.BrokerLogsProperty.builder()
                                .cloudWatchLogs(CfnCluster.CloudWatchLogsProperty.builder()
                                        .enabled(true).logGroup(brokerLogs.getLogGroupName()).build())
                                .build())
                        .build());
        if (kafka.publicSubnets()) {
            // MSK turns public access on only when ACLs decide: no ACL must mean no access.
            CfnConfiguration configuration = CfnConfiguration.Builder.create(this, "Configuration")
                    .name(names.component("msk-config"))
                    .description("Public access requires allow.everyone.if.no.acl.found=false")
                    .kafkaVersionsList(List.of(kafka.kafkaVersion()))
                    .serverProperties("allow.everyone.if.no.acl.found=false\nauto.create.topics.enable=false\n")
                    .build();
            builder.configurationInfo(CfnCluster.ConfigurationInfoProperty.builder()
                    .arn(configuration.getAttrArn()).revision(1).build());
        }
        cluster = builder.build();
        ready.add(cluster);

        if (kafka.auth() == AuthMode.SCRAM) {
            scramSecret = Secret.Builder.create(this, "ScramSecret")
                    .secretName(names.scramSecret())
                    .description("SASL/SCRAM credentials of the ingest service on " + name)
                    .encryptionKey(key)
                    .generateSecretString(SecretStringGenerator.builder()
                            .secretStringTemplate("{\"username\":\"" + kafka.scramUsername() + "\"}")
                            .generateStringKey("password")
                            // The password is substituted into SQL string literals at container start.
                            .excludePunctuation(true)
                            .passwordLength(32)
                            .build())
                    .build();
            CfnBatchScramSecret association = CfnBatchScramSecret.Builder.create(this, "ScramSecretAssociation")
                    .clusterArn(cluster.getAttrArn())
                    .secretArnList(List.of(scramSecret.getSecretArn()))
                    .build();
            ready.add(association);
            tags.apply(scramSecret, "secret", "security", "AmazonMSK_" + names.serviceAccount());
        } else {
            scramSecret = null;
        }
        tags.apply(this, "msk", "compute", name);
        tags.apply(brokerLogs, "logs", "observability", names.component("msk-brokers"));
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
        return Optional.ofNullable(scramSecret);
    }

    @Override
    public IDependable readyForClients() {
        return ready;
    }
}
