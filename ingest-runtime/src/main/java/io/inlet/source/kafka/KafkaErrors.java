package io.inlet.source.kafka;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

import java.util.Locale;

/**
 * Turns Kafka client failures into messages a user can act on: the cause in the words of the StarRocks/Doris FAQ
 * ("Broker transport failure", "Group authorization failed", ...) and the property to check; never a stack trace,
 * never a secret (the client's messages carry none, and nothing here adds configuration values).
 */
public final class KafkaErrors {

    private KafkaErrors() {}

    public static SourceException describe(String what, Throwable e) {
        return new SourceException(what + ": " + detail(e, null), e);
    }

    /** As {@link #describe(String, Throwable)}, for a job that is known to use MSK IAM or not. */
    public static SourceException describe(String what, Throwable e, boolean mskIam) {
        return new SourceException(what + ": " + detail(e, mskIam), e);
    }

    static String detail(Throwable e, Boolean mskIam) {
        SslAuthenticationException ssl = find(e, SslAuthenticationException.class);
        if (ssl != null) {
            String cause = deepest(ssl);
            String hint = "check property.ssl.ca.location (the CA that signed the broker's certificate), "
                    + "property.security.protocol and kafka_broker_list; to troubleshoot, "
                    + "property.enable.ssl.certificate.verification = false turns verification off";
            String lower = cause.toLowerCase(Locale.ROOT);
            if (lower.contains("subject alternative name") || lower.contains("hostname") || lower.contains("no name matching")) {
                hint = "the broker's certificate does not name the host in kafka_broker_list; connect with the name it"
                        + " was issued for, or set property.ssl.endpoint.identification.algorithm = none";
            } else if (lower.contains("bad_certificate") || lower.contains("certificate_required")
                    || lower.contains("certificate required")) {
                hint = "the broker wants a client certificate (mutual TLS): check property.ssl.certificate.location,"
                        + " property.ssl.key.location and property.ssl.key.password";
            }
            return "Broker transport failure: the TLS channel cannot be established (" + cause + "); " + hint;
        }
        AuthenticationException auth = find(e, AuthenticationException.class);
        if (auth != null) {
            String msg = auth.getMessage() == null ? auth.getClass().getSimpleName() : auth.getMessage();
            String hint;
            boolean iam = mskIam != null ? mskIam
                    : msg.contains("OAUTHBEARER") || msg.contains("AWS_MSK_IAM") || msg.contains("invalid_token");
            if (iam) {
                hint = "check the aws.* credentials (aws.access_key/aws.secret_key, aws.role_arn,"
                        + " aws.credentials_provider), aws.region and the IAM policy (kafka-cluster:Connect)";
            } else if (auth instanceof SaslAuthenticationException || msg.contains("SASL")) {
                hint = "check property.sasl.mechanism, property.sasl.username and property.sasl.password";
            } else {
                hint = "check property.security.protocol, property.sasl.mechanism and the credentials";
            }
            return "authentication failed (" + oneLine(msg) + "); " + hint;
        }
        GroupAuthorizationException group = find(e, GroupAuthorizationException.class);
        if (group != null) {
            return "Group authorization failed for consumer group '" + group.groupId() + "'; grant Describe and Read"
                    + " on the group to the job's principal, or choose a group it may use (property.group.id)";
        }
        TopicAuthorizationException topic = find(e, TopicAuthorizationException.class);
        if (topic != null) {
            return "Topic authorization failed for " + topic.unauthorizedTopics() + "; grant Describe and Read on the"
                    + " topic (kafka_topic) to the job's principal";
        }
        if (find(e, TimeoutException.class) != null) {
            return "Broker transport failure: no broker answered in time; check kafka_broker_list, the network and"
                    + " property.security.protocol (a TLS listener needs SSL or SASL_SSL)";
        }
        String deepest = deepest(e);
        String lower = deepest.toLowerCase(Locale.ROOT);
        if (lower.contains("ssl") || lower.contains("pem") || lower.contains("keystore") || lower.contains("truststore")) {
            return "invalid TLS configuration (" + deepest + "); check property.ssl.ca.location,"
                    + " property.ssl.certificate.location, property.ssl.key.location and property.ssl.key.password";
        }
        if (lower.contains("jaas") || lower.contains("login") || lower.contains("sasl")) {
            return "invalid SASL configuration (" + deepest + "); check property.sasl.mechanism and the credentials";
        }
        return e.getClass().getSimpleName() + ": " + oneLine(e.getMessage() == null ? "" : e.getMessage())
                + (deepest.equals(e.getMessage()) ? "" : " (" + deepest + ")");
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The message of the innermost cause that has one. */
    private static String deepest(Throwable e) {
        String msg = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                msg = t.getMessage();
            }
        }
        return msg == null ? e.getClass().getSimpleName() : oneLine(msg);
    }

    private static String oneLine(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() > 500 ? one.substring(0, 500) + "..." : one;
    }
}
