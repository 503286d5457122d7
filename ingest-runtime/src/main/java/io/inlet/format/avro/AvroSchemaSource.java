package io.inlet.format.avro;

import io.inlet.format.DecodeException;
import org.apache.avro.Schema;

/** Where the Avro decoder learns the schemas of messages: the writer's by its id, and the reader's. */
public interface AvroSchemaSource {

    /**
     * The schema the message was written with.
     *
     * @throws DecodeException             when there is no such schema (the message is bad)
     * @throws SchemaUnavailableException  when it cannot be learned now (the registry is unreachable or refuses
     *                                     Inlet's credentials): the message is fine, loading must wait
     */
    Schema writer(int id) throws DecodeException;

    /**
     * The reader schema, the latest of the topic's subject, or null when none is known. With {@code refresh} the
     * source asks again (a new writer schema appeared); without, it answers from what it knows. Never throws:
     * without a reader schema each message is read with its writer's alone.
     */
    Schema reader(boolean refresh);
}
