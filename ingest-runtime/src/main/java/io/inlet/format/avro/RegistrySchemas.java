package io.inlet.format.avro;

import io.inlet.format.DecodeException;
import io.inlet.schemaregistry.RegistryEndpoint;
import io.inlet.schemaregistry.SchemaRegistryClient;
import io.inlet.schemaregistry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schemas of a Confluent-API schema registry, cached for the life of the process: a schema id never changes
 * its schema, so once learned it is never asked for again, and messages of known ids keep loading while the
 * registry is down (across task restarts, pauses and resumes). The reader schema is the subject's latest,
 * asked for again only when a new writer schema appears.
 */
public final class RegistrySchemas implements AvroSchemaSource {

    /** Parsed schemas by registry URL and id, shared by every job and task of the process. */
    private static final Map<String, Map<Integer, Schema>> BY_ID = new ConcurrentHashMap<>();
    /** The latest schema by registry and subject. */
    private static final Map<String, Schema> LATEST = new ConcurrentHashMap<>();
    /** One HTTP client per registry (each holds a selector thread). */
    private static final Map<String, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private final SchemaRegistryClient client;
    private final String subject;
    private final Map<Integer, Schema> byId;
    private final String latestKey;

    /** @param subject the reader schema's subject ({@code {topic}-value}); null for none */
    public RegistrySchemas(RegistryEndpoint endpoint, String subject) {
        this.subject = subject;
        String registry = endpoint.base().toString();
        this.client = CLIENTS.computeIfAbsent(registry + "|" + endpoint.user() + "|" + Objects.hashCode(endpoint.password()),
                k -> new SchemaRegistryClient(endpoint));
        this.byId = BY_ID.computeIfAbsent(registry, k -> new ConcurrentHashMap<>());
        this.latestKey = registry + "|" + subject;
    }

    @Override
    public Schema writer(int id) throws DecodeException {
        Schema known = byId.get(id);
        if (known != null) {
            return known;
        }
        String text;
        try {
            text = client.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.NOT_FOUND) {
                throw new DecodeException("Avro schema id " + id + " is not in the schema registry "
                        + client.endpoint().display());
            }
            throw new SchemaUnavailableException("Avro schema id " + id + " is not known yet and " + e.getMessage(), e);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new DecodeException("schema id " + id + " of the schema registry " + client.endpoint().display()
                    + " is not an Avro schema: " + e.getMessage());
        }
        byId.put(id, schema);
        return schema;
    }

    @Override
    public Schema reader(boolean refresh) {
        if (subject == null) {
            return null;
        }
        Schema latest = LATEST.get(latestKey);
        if (latest != null && !refresh) {
            return latest;
        }
        try {
            Schema fresh = new Schema.Parser().parse(client.latestSchema(subject));
            LATEST.put(latestKey, fresh);
            return fresh;
        } catch (SchemaRegistryException | SchemaParseException e) {
            return latest; // no subject of that name, or the registry cannot say now: what is known
        }
    }
}
