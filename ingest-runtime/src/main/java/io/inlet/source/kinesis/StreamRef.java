package io.inlet.source.kinesis;

import java.util.Objects;

/**
 * A Kinesis data stream as a statement names it: by name, or by ARN
 * ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}). Requests name it the same way (StreamName or StreamARN);
 * {@link #name()} is the short name for messages.
 */
public record StreamRef(String name, String arn) {
    public StreamRef {
        Objects.requireNonNull(name, "name");
    }

    /** A stream name or a stream ARN. */
    public static StreamRef of(String nameOrArn) {
        String v = nameOrArn.trim();
        if (v.startsWith("arn:")) {
            int at = v.indexOf(":stream/");
            if (at < 0 || at + ":stream/".length() >= v.length()) {
                throw new IllegalArgumentException("not a Kinesis stream ARN: " + v);
            }
            return new StreamRef(v.substring(at + ":stream/".length()), v);
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty stream name");
        }
        return new StreamRef(v, null);
    }

    public boolean byArn() {
        return arn != null;
    }

    /** For messages: {@code 'name'} or {@code 'name' (arn)}. */
    @Override
    public String toString() {
        return arn == null ? "'" + name + "'" : "'" + name + "' (" + arn + ")";
    }
}
