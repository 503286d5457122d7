package io.inlet.infra.kafka;

import io.inlet.infra.access.PolicyTemplates;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The cluster's bootstrap broker string. MSK has no CloudFormation attribute for it, so a custom resource calls
 * {@code Kafka.getBootstrapBrokers} at deploy time, allowed on this cluster's ARN only.
 */
public final class BootstrapBrokers extends Construct {
    private final AwsCustomResource call;

    /** @param fields the response fields to read, e.g. {@code BootstrapBrokerStringSaslIam} */
    public BootstrapBrokers(Construct scope, String id, KafkaCluster cluster, List<String> fields) {
        super(scope, id);
        AwsSdkCall getBootstrapBrokers = AwsSdkCall.builder()
                .service("Kafka")
                .action("getBootstrapBrokers")
                .parameters(Map.of("ClusterArn", cluster.clusterArn()))
                .physicalResourceId(PhysicalResourceId.of(cluster.clusterArn()))
                .outputPaths(fields)
                .build();
        call = AwsCustomResource.Builder.create(this, "GetBootstrapBrokers")
                .resourceType("Custom::MskBootstrapBrokers")
                .onCreate(getBootstrapBrokers)
                .onUpdate(getBootstrapBrokers)
                .installLatestAwsSdk(false)
                .policy(AwsCustomResourcePolicy.fromStatements(
                        PolicyTemplates.statements(PolicyTemplates.bootstrapBrokersJson(cluster.clusterArn()))))
                .build();
        call.getNode().addDependency(cluster.readyForClients());
    }

    /** The comma-separated {@code host:port} list of one listener, e.g. {@code BootstrapBrokerStringSaslIam}. */
    public String value(String field) {
        return call.getResponseField(field);
    }

    public AwsCustomResource customResource() {
        return call;
    }
}
