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
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 as Stream Load needs it, over plain sockets: {@code Expect: 100-continue} done properly
 * (the body is sent only after {@code 100 Continue}; a final answer that comes instead, such as a
 * redirect or {@code Label Already Exists}, is read with its body and the body is never sent),
 * chunked request bodies streamed from an {@link InputStream}, and a deadline for the whole
 * exchange that also covers a peer that stops reading.
 *
 * <p>Connections are kept alive and reused (a pool shared by every client in the process, per
 * scheme, host, port and TLS context, idle ones closed after {@link #IDLE_MS}) when the exchange
 * leaves them in a known state: the request was sent whole (no body, or the body after {@code 100
 * Continue}), the answer was framed (Content-Length or chunked) and read whole, and the server did
 * not say {@code Connection: close}. A connection whose answer came instead of {@code 100 Continue}
 * (the FE's {@code 307}, the BE's {@code Label Already Exists}) is closed: the server may or may not
 * expect the announced body on it. A request that fails on a reused connection before any answer
 * and before its body was sent (the server closed the idle connection) is sent again on a new one.
 *
 * <p>Why not {@code java.net.http.HttpClient}: in JDK 17 it drops the body of a final response
 * that arrives before {@code 100 Continue} and then waits for it forever, and it does not send
 * credentials again after a redirect.
 */
final class StreamLoadHttp implements StreamLoadTransport {

    private static final int CHUNK = 64 * 1024;
    private static final int MAX_RESPONSE = 16 * 1024 * 1024;
    /** How long to wait for {@code 100 Continue} before sending the body anyway (RFC 9110 allows it; curl waits 1 s). */
    private static final Duration CONTINUE_WAIT = Duration.ofSeconds(5);
    private static final byte[] CRLF = {'\r', '\n'};
    /** How long a connection may stay idle in the pool: well under the servers' keep-alive timeouts. */
    static final long IDLE_MS = 10_000;
    private static final int MAX_IDLE_PER_ROUTE = 8;
    /** A connection idle longer than this is checked before it is reused (as HttpClient's validateAfterInactivity). */
    private static final long VALIDATE_AFTER_MS = 1_000;

    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "inlet-streamload-deadline");
        t.setDaemon(true);
        return t;
    });

    /** Idle connections by route, the most recently used first. */
    private static final Map<Route, Deque<Connection>> IDLE = new ConcurrentHashMap<>();

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true);
        WATCHDOG.scheduleWithFixedDelay(StreamLoadHttp::closeExpired, IDLE_MS, IDLE_MS / 2, TimeUnit.MILLISECONDS);
    }

    /** Where a connection goes; TLS contexts compare by identity. */
    private record Route(String scheme, String host, int port, SSLContext tls) {}

    /** An open connection and its buffered streams. */
    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final boolean reused;
        long idleSince;

        Connection(Socket socket, boolean reused) throws IOException {
            this(socket, new BufferedInputStream(socket.getInputStream(), 16 * 1024),
                    new BufferedOutputStream(socket.getOutputStream(), CHUNK + 16), reused);
        }

        private Connection(Socket socket, InputStream in, OutputStream out, boolean reused) {
            this.socket = socket;
            this.in = in;
            this.out = out;
            this.reused = reused;
        }

        Connection reusedAgain() {
            return new Connection(socket, in, out, true);
        }
    }

    /** A reused connection failed before anything took effect: send the request again on a new one. */
    private static final class Stale extends Exception {
        private static final long serialVersionUID = 1L;

        Stale() {
            super(null, null, false, false);
        }
    }

    private final int connectTimeoutMs;
    private final long requestTimeoutMs;
    private final SSLContext sslContext;

    StreamLoadHttp(Duration connectTimeout, Duration requestTimeout, SSLContext sslContext) {
        this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        this.requestTimeoutMs = Math.max(1, requestTimeout.toMillis());
        this.sslContext = sslContext;
    }

    @Override
    public Response execute(String method, URI uri, Map<String, String> headers, StreamLoadBody body) throws IOException {
        byte[] head = requestHead(method, uri, headers, body != null);
        Route route = route(uri);
        Connection idle = lease(route);
        if (idle != null) {
            try {
                return exchange(method, route, idle, head, body);
            } catch (Stale stale) {
                // the server had closed the idle connection: nothing was taken in
            }
        }
        try {
            return exchange(method, route, new Connection(connect(uri), false), head, body);
        } catch (Stale impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private Response exchange(String method, Route route, Connection c, byte[] head, StreamLoadBody body)
            throws IOException, Stale {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        Socket socket = c.socket;
        ScheduledFuture<?> kill = WATCHDOG.schedule(() -> closeQuietly(socket), requestTimeoutMs, TimeUnit.MILLISECONDS);
        boolean bodySent = false;
        boolean keep = false;
        Head answer = null;
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeoutMs));
            OutputStream out = c.out;
            InputStream in = c.in;
            out.write(head);
            out.flush();
            boolean answeredInstead = false;
            if (body != null) {
                answer = awaitContinue(socket, in, deadline);
                answeredInstead = answer != null;
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
                        answeredInstead = true;
                    }
                }
            }
            if (answer == null) {
                answer = readFinalHead(socket, in, deadline);
            }
            Body text = readBody(in, answer, method);
            keep = !answeredInstead && text.framed() && !"close".equalsIgnoreCase(answer.headers.getOrDefault("connection", ""))
                    && answer.http11;
            return new Response(answer.status, answer.headers, text.text(), bodySent);
        } catch (SocketTimeoutException e) {
            throw new RequestFailure("no answer within " + requestTimeoutMs + " ms", bodySent, true, e);
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0) {
                throw new RequestFailure("no answer within " + requestTimeoutMs + " ms", bodySent, true, e);
            }
            if (c.reused && answer == null && !bodySent) {
                // the server had closed the idle connection. Sending again is safe here: a load's body was not
                // sent, and Stream Load's bodyless requests are keyed by label or txn id, so that one carried out
                // twice answers "already" (committed, aborted, label in use), which the client reads as such
                throw new Stale();
            }
            throw new RequestFailure(StreamLoadTransport.describe(e), bodySent, false, e);
        } finally {
            // a connection the watchdog may have closed is not reused
            if (kill.cancel(false) && keep) {
                release(route, c);
            } else {
                closeQuietly(socket);
            }
        }
    }

    private Route route(URI uri) {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : (https ? 443 : 80);
        return new Route(https ? "https" : "http", uri.getHost(), port, https ? sslContext : null);
    }

    private static Connection lease(Route route) {
        Deque<Connection> idle = IDLE.get(route);
        if (idle == null) {
            return null;
        }
        long now = System.nanoTime();
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            long idleNanos = now - c.idleSince;
            if (idleNanos < TimeUnit.MILLISECONDS.toNanos(IDLE_MS) && !c.socket.isClosed()
                    && (idleNanos < TimeUnit.MILLISECONDS.toNanos(VALIDATE_AFTER_MS) || stillOpen(c))) {
                return c.reusedAgain();
            }
            closeQuietly(c.socket);
        }
        return null;
    }

    /**
     * Whether a connection idle for a while is still open: the server has neither closed it nor sent
     * anything (a read of 1 ms finds no data and no end of stream).
     */
    private static boolean stillOpen(Connection c) {
        try {
            if (c.in.available() > 0) {
                return false;
            }
            c.socket.setSoTimeout(1);
            c.in.read();
            // an answer nobody asked for, or the end of the stream
            return false;
        } catch (SocketTimeoutException alive) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void release(Route route, Connection c) {
        c.idleSince = System.nanoTime();
        Deque<Connection> idle = IDLE.computeIfAbsent(route, r -> new ConcurrentLinkedDeque<>());
        idle.addFirst(c);
        while (idle.size() > MAX_IDLE_PER_ROUTE) {
            Connection oldest = idle.pollLast();
            if (oldest != null) {
                closeQuietly(oldest.socket);
            }
        }
    }

    /** Closes the connections that have been idle too long (the servers would close them soon). */
    private static void closeExpired() {
        long now = System.nanoTime();
        for (Deque<Connection> idle : IDLE.values()) {
            for (Connection c : idle) {
                if (now - c.idleSince >= TimeUnit.MILLISECONDS.toNanos(IDLE_MS) && idle.remove(c)) {
                    closeQuietly(c.socket);
                }
            }
        }
    }

    /** Idle connections in the shared pool (for tests). */
    static int idleConnections() {
        return IDLE.values().stream().mapToInt(Deque::size).sum();
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
            throw new ConnectFailure(StreamLoadTransport.describe(e), e);
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
        for (Map.Entry<String, String> e : headers.entrySet()) {
            StreamLoadTransport.checkHeader(e.getKey(), e.getValue());
            sb.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
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
    private record Head(int status, Map<String, String> headers, boolean http11) {}

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
        return new Head(status, Collections.unmodifiableMap(headers), parts[0].equals("HTTP/1.1"));
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

    /** An answer's body, and whether its end was framed (rather than the connection's end). */
    private record Body(String text, boolean framed) {}

    private static Body readBody(InputStream in, Head head, String method) throws IOException {
        if ("HEAD".equals(method) || head.status == 204 || head.status == 304) {
            return new Body("", true);
        }
        boolean framed = true;
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
            framed = false;
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                body.write(buf, 0, n);
                if (body.size() > MAX_RESPONSE) {
                    throw new IOException("answer too large");
                }
            }
        }
        return new Body(body.toString(StandardCharsets.UTF_8), framed);
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

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
