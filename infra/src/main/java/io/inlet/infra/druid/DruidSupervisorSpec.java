package io.inlet.infra.druid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.infra.render.TemplateRenderer;

import java.util.Map;

/**
 * Seed 004's Kafka supervisor spec for Druid, rendered from {@code templates/druid-kafka-supervisor.json.mustache} with
 * the cluster's IAM bootstrap brokers (port 9098) and the client settings MSK IAM needs: {@code SASL_SSL} with
 * {@code AWS_MSK_IAM} through aws-msk-iam-auth's login module and callback handler (the seed's own example, port 9092
 * with {@code SSL}, names a listener MSK Serverless does not have).
 */
public final class DruidSupervisorSpec {
    public static final String TEMPLATE = "templates/druid-kafka-supervisor.json.mustache";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DruidSupervisorSpec() {
    }

    /** @param bootstrapServers the IAM broker list, a literal or a CDK token resolved at deploy time */
    public static String render(String bootstrapServers, String topic) {
        return TemplateRenderer.render(TEMPLATE, Map.of("bootstrapServers", bootstrapServers, "topic", topic,
                "dataSource", topic));
    }

    /** The rendered spec on one line, as a stack output carries it. */
    public static String compact(String rendered) {
        try {
            return JSON.writeValueAsString(JSON.readTree(rendered));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The supervisor template rendered invalid JSON:\n" + rendered, e);
        }
    }
}
