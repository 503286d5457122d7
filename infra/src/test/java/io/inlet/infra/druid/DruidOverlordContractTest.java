package io.inlet.infra.druid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered spec against a real Druid: submitted to the Overlord at {@code INLET_DRUID_URL} (e.g.
 * {@code http://localhost:8081}, or the Router), its status read back, then terminated. Optional:
 * {@code INLET_DRUID_BOOTSTRAP_SERVERS} (the stack's DruidKafkaBootstrapServers output; without it the supervisor
 * runs against an address that does not answer, which Druid still accepts and reports), {@code INLET_DRUID_TOPIC}
 * (default {@code inlet-contract}), {@code INLET_DRUID_AUTH} ({@code user:password}, basic auth).
 */
@EnabledIfEnvironmentVariable(named = "INLET_DRUID_URL", matches = ".+")
class DruidOverlordContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void theOverlordAcceptsTheSpecAndReportsItsSupervisor() throws Exception {
        String url = System.getenv("INLET_DRUID_URL").replaceAll("/+$", "");
        String topic = envOr("INLET_DRUID_TOPIC", "inlet-contract");
        String spec = DruidSupervisorSpec.render(envOr("INLET_DRUID_BOOTSTRAP_SERVERS", "127.0.0.1:9098"), topic);

        HttpResponse<String> submitted = send(HttpRequest.newBuilder(URI.create(url + "/druid/indexer/v1/supervisor"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(spec)));
        try {
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
            assertThat(JSON.readTree(submitted.body()).path("id").asText()).isEqualTo(topic);

            HttpResponse<String> status = send(HttpRequest.newBuilder(
                    URI.create(url + "/druid/indexer/v1/supervisor/" + topic + "/status")).GET());
            assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(status.body());
            assertThat(body.path("id").asText()).isEqualTo(topic);
            assertThat(body.path("payload").path("dataSource").asText()).isEqualTo(topic);
            assertThat(body.path("payload").path("stream").asText()).isEqualTo(topic);
        } finally {
            send(HttpRequest.newBuilder(URI.create(url + "/druid/indexer/v1/supervisor/" + topic + "/terminate"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        String auth = System.getenv("INLET_DRUID_AUTH");
        if (auth != null && !auth.isEmpty()) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
