package io.inlet.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The reads Inlet makes of a schema registry's Confluent API (Confluent Schema Registry, Apicurio's
 * {@code /apis/ccompat/v7}, Redpanda, Karapace): a schema by its id, and the latest schema of a subject.
 * Thread-safe.
 */
public final class SchemaRegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final RegistryEndpoint endpoint;
    private final HttpClient http;

    public SchemaRegistryClient(RegistryEndpoint endpoint) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    /** The schema text (Avro's JSON) registered under {@code id}: {@code GET /schemas/ids/{id}}. */
    public String schemaById(int id) throws SchemaRegistryException {
        return schemaOf(get("/schemas/ids/" + id, "schema id " + id));
    }

    /** The latest schema text of {@code subject}: {@code GET /subjects/{subject}/versions/latest}. */
    public String latestSchema(String subject) throws SchemaRegistryException {
        return schemaOf(get("/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20")
                + "/versions/latest", "the latest schema of subject '" + subject + "'"));
    }

    private String schemaOf(JsonNode answer) throws SchemaRegistryException {
        JsonNode schema = answer.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.BAD_ANSWER,
                    "the schema registry " + endpoint.display() + " answered without a schema", null);
        }
        return schema.asText();
    }

    private JsonNode get(String path, String what) throws SchemaRegistryException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint.base() + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET();
        String auth = endpoint.authorization();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, "the schema registry "
                    + endpoint.display() + " cannot be reached for " + what + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, "interrupted while asking the "
                    + "schema registry " + endpoint.display() + " for " + what, e);
        }
        int status = response.statusCode();
        if (status == 200) {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new SchemaRegistryException(SchemaRegistryException.Kind.BAD_ANSWER, "the schema registry "
                        + endpoint.display() + " answered " + what + " with something other than JSON", e);
            }
        }
        String message = "the schema registry " + endpoint.display() + " answered HTTP " + status + " for " + what;
        if (status == 401 || status == 403) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.DENIED, message
                    + (endpoint.user() == null ? " (no credentials were given)" : " for user '" + endpoint.user() + "'")
                    + ": authentication failed", null);
        }
        if (status == 404) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.NOT_FOUND, message + ": not found", null);
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, message, null);
        }
        throw new SchemaRegistryException(SchemaRegistryException.Kind.BAD_ANSWER, message, null);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String name = e.getClass().getSimpleName();
        if (m == null || m.isEmpty()) {
            Throwable c = e.getCause();
            m = c == null || c.getMessage() == null ? "" : c.getMessage();
            if (c != null) {
                name = c.getClass().getSimpleName();
            }
        }
        return m.isEmpty() ? name : name + ": " + m;
    }
}
