package io.inlet.source.kinesis;

import java.util.Objects;

/**
 * A Kinesis data stream as a statement names it: by name, or by ARN ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}).
 * Requests name it the same way (StreamName or StreamARN); {@link #name()} is the short name for messages.
 */
public record StreamRef(String name, String arn) {
    public StreamRef {
        Objects.requireNonNull(name, "name");
    }

    /** A stream name or a stream ARN. */
    public static StreamRef of(String nameOrArn) {
        String v = nameOrArn.trim();
        if (v.startsWith("arn:")) {
            int slash = v.lastIndexOf("/stream/") >= 0 ? v.lastIndexOf("/stream/") + "/stream/".length()
                    : v.indexOf(":stream/") >= 0 ? v.indexOf(":stream/") + ":stream/".length() : -1;
            if (slash < 0 || slash >= v.length()) {
                throw new IllegalArgumentException("not a Kinesis stream ARN: " + v);
            }
            return new StreamRef(v.substring(slash), v);
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
