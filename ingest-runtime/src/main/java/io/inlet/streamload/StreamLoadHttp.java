package io.inlet.streamload;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 as Stream Load needs it, one connection per request: {@code Expect: 100-continue}
 * done properly (the body is sent only after {@code 100 Continue}; a final answer that comes
 * instead, such as a redirect or {@code Label Already Exists}, is read with its body and the
 * body is never sent), chunked request bodies streamed from an {@link InputStream}, and a
 * deadline for the whole exchange that also covers a peer that stops reading.
 *
 * <p>Why not {@code java.net.http.HttpClient}: in JDK 17 it drops the body of a final response
 * that arrives before {@code 100 Continue} and then waits for it forever, and it does not send
 * credentials again after a redirect.
 */
final class StreamLoadHttp {

    /** An answer. Header names are lower case. */
    record Response(int status, Map<String, String> headers, String body, boolean bodySent) {}

    /** Nothing was sent: the connection (or TLS handshake) could not be made. */
    static final class ConnectFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The request was (partly) sent but no complete answer came back. */
    static final class RequestFailure extends IOException {
        private static final long serialVersionUID = 1L;
        final boolean bodySent;
        final boolean timedOut;

        RequestFailure(String message, boolean bodySent, boolean timedOut, Throwable cause) {
            super(message, cause);
            this.bodySent = bodySent;
            this.timedOut = timedOut;
        }
    }

    private static final int CHUNK = 64 * 1024;
    private static final int MAX_RESPONSE = 16 * 1024 * 1024;
    /** How long to wait for {@code 100 Continue} before sending the body anyway (RFC 9110 allows it; curl waits 1 s). */
    private static final Duration CONTINUE_WAIT = Duration.ofSeconds(5);
    private static final byte[] CRLF = {'\r', '\n'};

    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "inlet-streamload-deadline");
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    private final int connectTimeoutMs;
    private final long requestTimeoutMs;
    private final SSLContext sslContext;

    StreamLoadHttp(Duration connectTimeout, Duration requestTimeout, SSLContext sslContext) {
        this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        this.requestTimeoutMs = Math.max(1, requestTimeout.toMillis());
        this.sslContext = sslContext;
    }

    Response execute(String method, URI uri, Map<String, String> headers, StreamLoadBody body) throws IOException {
        byte[] head = requestHead(method, uri, headers, body != null);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        Socket socket = connect(uri);
        ScheduledFuture<?> kill = WATCHDOG.schedule(() -> closeQuietly(socket), requestTimeoutMs, TimeUnit.MILLISECONDS);
        boolean bodySent = false;
        try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), CHUNK + 16);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out.write(head);
            out.flush();
            Head answer = null;
            if (body != null) {
                answer = awaitContinue(socket, in, deadline);
                if (answer == null) {
                    bodySent = true;
                    try {
                        sendChunked(out, body);
                    } catch (IOException e) {
                        // the server may have answered and closed while we were sending
                        answer = tryReadHead(socket, in);
                        if (answer == null) {
                            throw e;
                        }
                    }
                }
            }
            if (answer == null) {
                answer = readFinalHead(socket, in, deadline);
            }
            String text = readBody(in, answer, method);
            return new Response(answer.status, answer.headers, text, bodySent);
        } catch (SocketTimeoutException e) {
            throw new RequestFailure("no answer within " + requestTimeoutMs + " ms", bodySent, true, e);
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0) {
                throw new RequestFailure("no answer within " + requestTimeoutMs + " ms", bodySent, true, e);
            }
            throw new RequestFailure(describe(e), bodySent, false, e);
        } finally {
            kill.cancel(false);
            closeQuietly(socket);
        }
    }

    private Socket connect(URI uri) throws ConnectFailure {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : (https ? 443 : 80);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new ConnectFailure("unknown host " + host, null);
            }
            socket.connect(address, connectTimeoutMs);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeoutMs));
            if (!https) {
                return socket;
            }
            SSLSocketFactory factory = (sslContext != null ? sslContext : SSLContext.getDefault()).getSocketFactory();
            SSLSocket tls = (SSLSocket) factory.createSocket(socket, host, port, true);
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.setSoTimeout(connectTimeoutMs);
            tls.startHandshake();
            tls.setSoTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeoutMs));
            return tls;
        } catch (ConnectFailure e) {
            closeQuietly(socket);
            throw e;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new ConnectFailure("connect timed out after " + connectTimeoutMs + " ms", e);
        } catch (IOException | java.security.GeneralSecurityException e) {
            closeQuietly(socket);
            throw new ConnectFailure(describe(e), e);
        }
    }

    private static byte[] requestHead(String method, URI uri, Map<String, String> headers, boolean hasBody) {
        StringBuilder sb = new StringBuilder(512);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        sb.append(method).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        sb.append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(uri.getHost());
        if (uri.getPort() > 0) {
            sb.append(':').append(uri.getPort());
        }
        sb.append("\r\n");
        sb.append("User-Agent: inlet-streamload\r\n");
        sb.append("Connection: close\r\n");
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= ' ' || c >= 0x7f || c == ':') {
                    throw new IllegalArgumentException("invalid header name: " + name);
                }
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + " must not contain a line break");
            }
            sb.append(name).append(": ").append(value).append("\r\n");
        }
        if (hasBody) {
            sb.append("Expect: 100-continue\r\n");
            sb.append("Transfer-Encoding: chunked\r\n");
        } else if (!"GET".equals(method)) {
            sb.append("Content-Length: 0\r\n");
        }
        sb.append("\r\n");
        // header values are sent as UTF-8, which is how both warehouses read them
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Waits for {@code 100 Continue}: null to send the body, or the final answer that came instead. */
    private static Head awaitContinue(Socket socket, InputStream in, long deadline) throws IOException {
        int wait = (int) Math.max(1, Math.min(CONTINUE_WAIT.toMillis(), remainingMs(deadline)));
        int normal = socket.getSoTimeout();
        socket.setSoTimeout(wait);
        in.mark(1);
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            // no interim answer: send the body anyway
            socket.setSoTimeout(normal);
            return null;
        }
        socket.setSoTimeout(normal);
        if (first < 0) {
            throw new EOFException("connection closed before an answer");
        }
        in.reset();
        while (true) {
            Head h = readHead(in);
            if (h.status == 100) {
                return null;
            }
            if (h.status >= 200) {
                return h;
            }
            // other 1xx: keep waiting
        }
    }

    private static Head readFinalHead(Socket socket, InputStream in, long deadline) throws IOException {
        while (true) {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMs(deadline))));
            Head h = readHead(in);
            if (h.status >= 200) {
                return h;
            }
        }
    }

    private static Head tryReadHead(Socket socket, InputStream in) {
        try {
            socket.setSoTimeout(500);
            Head h = readHead(in);
            while (h.status < 200) {
                h = readHead(in);
            }
            return h;
        } catch (IOException e) {
            return null;
        }
    }

    private static long remainingMs(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    private static void sendChunked(OutputStream out, StreamLoadBody body) throws IOException {
        try (InputStream data = body.open()) {
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = data.readNBytes(buf, 0, buf.length)) > 0) {
                out.write(Integer.toHexString(n).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                out.write(buf, 0, n);
                out.write(CRLF);
            }
            out.write('0');
            out.write(CRLF);
            out.write(CRLF);
            out.flush();
        }
    }

    /** A response's status line and headers. */
    private record Head(int status, Map<String, String> headers) {}

    private static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        while (statusLine.isEmpty()) {
            statusLine = readLine(in);
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + abbreviate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + abbreviate(statusLine));
        }
        Map<String, String> headers = new TreeMap<>();
        int size = statusLine.length();
        while (true) {
            String line = readLine(in);
            if (line.isEmpty()) {
                break;
            }
            size += line.length();
            if (size > 256 * 1024) {
                throw new IOException("HTTP answer head too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return new Head(status, Collections.unmodifiableMap(headers));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the middle of an answer");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
            if (line.size() > 64 * 1024) {
                throw new IOException("HTTP line too long");
            }
        }
    }

    private static String readBody(InputStream in, Head head, String method) throws IOException {
        if ("HEAD".equals(method) || head.status == 204 || head.status == 304) {
            return "";
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String te = head.headers.getOrDefault("transfer-encoding", "");
        String cl = head.headers.get("content-length");
        if (te.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String sizeLine = readLine(in);
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                    } while (!trailer.isEmpty());
                    break;
                }
                copy(in, body, size);
                readLine(in);
            }
        } else if (cl != null) {
            copy(in, body, Long.parseLong(cl.trim()));
        } else {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                body.write(buf, 0, n);
                if (body.size() > MAX_RESPONSE) {
                    throw new IOException("answer too large");
                }
            }
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
        if (n < 0 || out.size() + n > MAX_RESPONSE) {
            throw new IOException("answer too large: " + n + " bytes");
        }
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("connection closed in the middle of an answer");
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

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

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
