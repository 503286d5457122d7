package io.inlet.schemaregistry;

/**
 * A schema registry request that did not give a schema, and why: the registry could not be reached or
 * answered with a server error (it may heal), refused Inlet's credentials (a user must act), or does not
 * have what was asked for. Messages name the registry without its password.
 */
public class SchemaRegistryException extends Exception {

    public enum Kind { UNREACHABLE, DENIED, NOT_FOUND, BAD_ANSWER }

    private final Kind kind;

    public SchemaRegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
