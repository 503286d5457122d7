package io.inlet.source.kafka;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/** Turns Kafka client failures into messages a user can act on. */
public final class KafkaErrors {

    private KafkaErrors() {}

    public static SourceException describe(String what, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof AuthenticationException)) {
            root = root.getCause();
        }
        String detail;
        if (e instanceof SslAuthenticationException || root instanceof SslAuthenticationException) {
            detail = "Broker transport failure: the TLS channel cannot be established (" + root.getMessage()
                    + "); check property.ssl.ca.location and property.security.protocol";
        } else if (e instanceof AuthenticationException || root instanceof AuthenticationException) {
            detail = "authentication failed (" + root.getMessage()
                    + "); check property.sasl.mechanism, property.sasl.username and property.sasl.password";
        } else if (e instanceof GroupAuthorizationException) {
            detail = "Group authorization failed; grant Describe and Read on the consumer group (property.group.id)";
        } else if (e instanceof TopicAuthorizationException) {
            detail = "Topic authorization failed; grant Describe and Read on the topic (kafka_topic)";
        } else if (e instanceof TimeoutException) {
            detail = "Broker transport failure: no broker answered in time; check kafka_broker_list and the network";
        } else {
            detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new SourceException(what + ": " + detail, e);
    }
}
