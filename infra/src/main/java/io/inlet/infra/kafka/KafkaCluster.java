package io.inlet.infra.kafka;

import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.IDependable;

import java.util.Optional;

/** What the rest of the stack needs from an MSK cluster, serverless or provisioned. */
public interface KafkaCluster {

    String clusterArn();

    String clusterName();

    /** The SASL/SCRAM user's {@code AmazonMSK_} secret, with {@code username} and {@code password} fields. */
    Optional<ISecret> scramSecret();

    /** What a client must wait for before it can authenticate (the cluster, and the SCRAM association). */
    IDependable readyForClients();
}
