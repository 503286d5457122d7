package io.inlet.streamload;

import java.io.IOException;
import java.net.URI;

/**
 * A Stream Load request that did not produce a usable answer (no FE reachable, a timeout, a
 * dropped connection, an HTTP error without a Stream Load body, a refused login), or an answer
 * that {@link StreamLoadResponse#orThrow()} turned into an error. The message names the
 * operation, the endpoint and the label, and carries the warehouse's own message; it never
 * contains the password.
 */
public class StreamLoadException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient URI endpoint;
    private final String label;
    private final int httpStatus;
    private final boolean retryable;
    private final boolean outcomeUnknown;
    private final transient StreamLoadResponse response;

    public StreamLoadException(String message, URI endpoint, String label, int httpStatus, boolean retryable,
                               boolean outcomeUnknown, StreamLoadResponse response) {
        this(message, endpoint, label, httpStatus, retryable, outcomeUnknown, response, null);
    }

    public StreamLoadException(String message, URI endpoint, String label, int httpStatus, boolean retryable,
                               boolean outcomeUnknown, StreamLoadResponse response, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.label = label;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
        this.outcomeUnknown = outcomeUnknown;
        this.response = response;
    }

    /** The endpoint that failed (FE or BE), or {@code null} when none could be reached. */
    public URI endpoint() {
        return endpoint;
    }

    public String label() {
        return label;
    }

    /** HTTP status of the failed answer, or -1 without one. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Repeating the request (with the same label) may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * The request may have reached the warehouse and taken effect (e.g. the connection dropped
     * after the body was sent): before loading the batch again under another label, ask
     * {@link StreamLoadClient#loadState(String)}; retrying under the same label is always safe.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** The warehouse's answer, when there was one. */
    public StreamLoadResponse response() {
        return response;
    }
}
