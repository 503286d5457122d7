package io.inlet.streamload;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP exchange as Stream Load needs it: {@code Expect: 100-continue} (the body is sent only
 * after {@code 100 Continue}; a final answer that comes instead, such as a redirect or {@code Label
 * Already Exists}, is read with its body and the body is not sent), chunked request bodies streamed
 * from a {@link StreamLoadBody}, a deadline for the whole exchange, and no redirects followed (the
 * client follows them itself, sending the credentials again). Connections are kept alive and
 * reused where the exchange leaves them usable.
 *
 * <p>Two implementations, chosen with {@link Implementation}: Inlet's own ({@link StreamLoadHttp})
 * and Apache HttpClient 5 ({@link StreamLoadHttpClient5}).
 */
interface StreamLoadTransport {

    /**
     * Which HTTP client carries Stream Load: {@code -Dinlet.streamload.http=httpclient5|builtin}, Apache HttpClient 5
     * by default (measured against Inlet's own on {@code bench/run streamload}: README-streamload.md).
     */
    enum Implementation {
        /** Inlet's own HTTP/1.1 over sockets ({@link StreamLoadHttp}), its client before HttpClient 5. */
        BUILTIN,
        /** Apache HttpClient 5, classic API ({@link StreamLoadHttpClient5}): the default. */
        HTTPCLIENT5;

        static final String PROPERTY = "inlet.streamload.http";

        /** The system property's choice; the default when it is not set. */
        static Implementation fromSystemProperty() {
            String v = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
            switch (v) {
                case "":
                case "httpclient5":
                    return HTTPCLIENT5;
                case "builtin":
                    return BUILTIN;
                default:
                    throw new IllegalArgumentException(PROPERTY + " must be builtin or httpclient5, not " + v);
            }
        }
    }

    /** An answer. Header names are lower case. */
    record Response(int status, Map<String, String> headers, String body, boolean bodySent) {}

    /** Nothing was sent: the connection (or TLS handshake) could not be made. */
    final class ConnectFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The request was (partly) sent but no complete answer came back. */
    final class RequestFailure extends IOException {
        private static final long serialVersionUID = 1L;
        final boolean bodySent;
        final boolean timedOut;

        RequestFailure(String message, boolean bodySent, boolean timedOut, Throwable cause) {
            super(message, cause);
            this.bodySent = bodySent;
            this.timedOut = timedOut;
        }
    }

    /**
     * Sends one request to {@code uri} and returns the answer, without following redirects.
     *
     * @throws ConnectFailure nothing was sent
     * @throws RequestFailure the request was sent (its body perhaps) and no complete answer came
     */
    Response execute(String method, URI uri, Map<String, String> headers, StreamLoadBody body) throws IOException;

    static StreamLoadTransport create(Implementation implementation, StreamLoadConfig config) {
        return implementation == Implementation.HTTPCLIENT5
                ? new StreamLoadHttpClient5(config.connectTimeout(), config.requestTimeout(), config.sslContext(),
                        config.maxConnections())
                : new StreamLoadHttp(config.connectTimeout(), config.requestTimeout(), config.sslContext());
    }

    /** Refuses a header that would break the request's head (a name that is no token, a line break in a value). */
    static void checkHeader(String name, String value) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ':') {
                throw new IllegalArgumentException("invalid header name: " + name);
            }
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header " + name + " must not contain a line break");
        }
    }

    /** An exception's messages, causes included, for an error message. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
