package io.inlet.source.kafka;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kafka.KafkaClient;
import software.amazon.awssdk.services.kafka.KafkaClientBuilder;
import software.amazon.awssdk.services.kafka.model.GetBootstrapBrokersResponse;

import java.net.URI;

/**
 * {@code aws.msk.cluster_arn} → the bootstrap brokers, with the MSK API's GetBootstrapBrokers: the string for the
 * job's authentication (PLAINTEXT, TLS, SASL/SCRAM or IAM), private first, else the public one, else multi-VPC
 * connectivity. {@code aws.msk.endpoint} overrides the API endpoint (VPC endpoints, tests).
 */
public final class MskBootstrapResolver {

    private MskBootstrapResolver() {}

    /** Which of the cluster's bootstrap strings a job uses. */
    public enum Auth { PLAINTEXT, TLS, SASL_SCRAM, SASL_IAM }

    public static Auth authFor(String protocol, String mechanism, boolean iam) {
        if (protocol.equals("PLAINTEXT") || protocol.equals("SASL_PLAINTEXT")) {
            return Auth.PLAINTEXT;
        }
        if (protocol.equals("SSL")) {
            return Auth.TLS;
        }
        return iam ? Auth.SASL_IAM : Auth.SASL_SCRAM;
    }

    public static String resolve(String clusterArn, Auth auth, MskIamCredentials credentials, String endpoint)
            throws SourceException {
        KafkaClientBuilder builder = KafkaClient.builder().region(Region.of(credentials.region()))
                .credentialsProvider(credentials);
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        GetBootstrapBrokersResponse r;
        try (KafkaClient client = builder.build()) {
            r = client.getBootstrapBrokers(b -> b.clusterArn(clusterArn));
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode() + ": ";
            String msg = e.awsErrorDetails() == null ? MskIamCredentials.summary(e) : e.awsErrorDetails().errorMessage();
            throw new SourceException("cannot look up the brokers of aws.msk.cluster_arn '" + clusterArn
                    + "' (GetBootstrapBrokers: " + code + msg + "); check aws.msk.cluster_arn, aws.region and"
                    + " that the credentials (" + credentials.describe() + ") may call kafka:GetBootstrapBrokers", e);
        } catch (RuntimeException e) {
            throw new SourceException("cannot look up the brokers of aws.msk.cluster_arn '" + clusterArn + "' ("
                    + MskIamCredentials.summary(e) + "); check aws.region, the network path to the MSK API and the"
                    + " credentials (" + credentials.describe() + ")", e);
        }
        String brokers = switch (auth) {
            case PLAINTEXT -> first(r.bootstrapBrokerString());
            case TLS -> first(r.bootstrapBrokerStringTls(), r.bootstrapBrokerStringPublicTls(),
                    r.bootstrapBrokerStringVpcConnectivityTls());
            case SASL_SCRAM -> first(r.bootstrapBrokerStringSaslScram(), r.bootstrapBrokerStringPublicSaslScram(),
                    r.bootstrapBrokerStringVpcConnectivitySaslScram());
            case SASL_IAM -> first(r.bootstrapBrokerStringSaslIam(), r.bootstrapBrokerStringPublicSaslIam(),
                    r.bootstrapBrokerStringVpcConnectivitySaslIam());
        };
        if (brokers == null) {
            throw new SourceException("the MSK cluster aws.msk.cluster_arn '" + clusterArn + "' has no bootstrap"
                    + " brokers for " + auth + " authentication; enable it on the cluster or change"
                    + " property.security.protocol / property.sasl.mechanism");
        }
        return brokers;
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c.trim();
            }
        }
        return null;
    }
}
