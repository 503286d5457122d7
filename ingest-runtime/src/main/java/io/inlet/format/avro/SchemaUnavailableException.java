package io.inlet.format.avro;

/**
 * A message's writer schema is not known yet and cannot be learned now: the schema registry is unreachable,
 * fails, or refuses Inlet's credentials. Not a bad message: the task stops without losing it, and the job
 * pauses with this message as its reason (one that heals by itself resumes when the registry answers).
 */
public class SchemaUnavailableException extends RuntimeException {

    public SchemaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
