package io.inlet.streamload.testserver;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on 127.0.0.1 that leaves {@code Expect: 100-continue} to its handler
 * (the JDK's built-in server answers {@code 100 Continue} by itself, which a Stream Load FE must
 * not do: it redirects before any body is sent). Chunked and Content-Length bodies, keep-alive,
 * and the faults a test needs: dropping a connection, never answering, refusing connections.
 */
final class MiniHttpServer implements AutoCloseable {

    interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    private static final int MAX_HEAD = 64 * 1024;

    private final String name;
    private final Handler handler;
    private final javax.net.ssl.SSLContext tls;
    private final ExecutorService pool;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong bodyBytesTotal = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong connections = new java.util.concurrent.atomic.AtomicLong();
    private final Gauge connectionGauge;
    private final Gauge requestGauge;
    private volatile ServerSocket listener;
    private volatile Thread acceptor;
    private volatile int port;

    MiniHttpServer(String name, Handler handler) {
        this(name, handler, null);
    }

    /** With {@code tls}, the server speaks HTTPS. */
    MiniHttpServer(String name, Handler handler, javax.net.ssl.SSLContext tls) {
        this(name, handler, tls, new Gauge(), new Gauge());
    }

    /** Counting its open connections and the requests it is handling in gauges that other servers may share. */
    MiniHttpServer(String name, Handler handler, javax.net.ssl.SSLContext tls, Gauge connectionGauge,
                   Gauge requestGauge) {
        this.name = name;
        this.handler = handler;
        this.tls = tls;
        this.connectionGauge = connectionGauge;
        this.requestGauge = requestGauge;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "streamload-testserver-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens on {@code port} (0: a random free port, kept for later restarts). */
    synchronized void start(int requestedPort) throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket ss = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 128);
        listener = ss;
        port = ss.getLocalPort();
        Thread t = new Thread(() -> acceptLoop(ss), "streamload-testserver-" + name + "-accept");
        t.setDaemon(true);
        acceptor = t;
        t.start();
    }

    synchronized void start() throws IOException {
        start(port);
    }

    /** Stops listening and cuts every open connection: clients get "connection refused" from now on. */
    synchronized void stop() {
        ServerSocket ss = listener;
        listener = null;
        if (ss != null) {
            try {
                ss.close();
            } catch (IOException ignored) {
                // closing
            }
            // The JDK closes a listening socket only once the thread blocked in accept() has
            // left it: wait for that, so that connections are refused from now on.
            Thread t = acceptor;
            if (t != null) {
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    boolean running() {
        return listener != null;
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    String scheme() {
        return tls == null ? "http" : "https";
    }

    long bodyBytesReceived() {
        return bodyBytesTotal.get();
    }

    @Override
    public void close() {
        stop();
        pool.shutdownNow();
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            try {
                Socket s = ss.accept();
                if (listener != ss) {
                    closeQuietly(s);
                    return;
                }
                open.add(s);
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        long connection = connections.incrementAndGet();
        connectionGauge.up();
        java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
        closing.set(() -> {
            if (counted.compareAndSet(true, false)) {
                connectionGauge.down();
            }
        });
        try (socket) {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            while (true) {
                Exchange ex;
                try {
                    ex = readRequest(socket, in, out, connection);
                } catch (SocketTimeoutException | EOFException | SocketException e) {
                    return;
                }
                if (ex == null) {
                    return;
                }
                requestGauge.up();
                try {
                    handler.handle(ex);
                } catch (DroppedException e) {
                    return;
                } catch (Exception e) {
                    if (ex.dropped) {
                        return;
                    }
                    if (!ex.responded) {
                        ex.keepAlive = false;
                        ex.respond(500, "text/plain", ("internal error: " + e).getBytes(StandardCharsets.UTF_8));
                    }
                } finally {
                    requestGauge.down();
                }
                if (ex.dropped) {
                    return;
                }
                if (!ex.responded) {
                    ex.keepAlive = false;
                    ex.respond(500, "text/plain", "no response".getBytes(StandardCharsets.UTF_8));
                }
                if (!ex.keepAlive || !ex.finishBody()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(socket);
            closing.get().run();
            closing.remove();
        }
    }

    /**
     * Counts the serving thread's connection as closed: at the latest when it closes, and as soon as a response says
     * {@code Connection: close}, before the client can read it. A client whose pool opens its next connection once
     * it has read that answer is then never seen holding one more connection than it does.
     */
    private final ThreadLocal<Runnable> closing = new ThreadLocal<>();

    private Exchange readRequest(Socket socket, InputStream in, OutputStream out, long connection) throws IOException {
        String requestLine = readLine(in, true);
        if (requestLine == null) {
            return null;
        }
        while (requestLine.isEmpty()) {
            requestLine = readLine(in, true);
            if (requestLine == null) {
                return null;
            }
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            throw new IOException("bad request line: " + requestLine);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int total = requestLine.length();
        while (true) {
            String line = readLine(in, false);
            if (line == null) {
                throw new EOFException();
            }
            total += line.length();
            if (total > MAX_HEAD) {
                throw new IOException("request head too large");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + line);
            }
            String hn = line.substring(0, colon).trim();
            // header bytes are UTF-8 text
            String hv = new String(line.substring(colon + 1).trim().getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8);
            headers.put(hn, hv);
        }
        String target = parts[1];
        String path = target;
        String query = null;
        int q = target.indexOf('?');
        if (q >= 0) {
            path = target.substring(0, q);
            query = target.substring(q + 1);
        }
        return new Exchange(socket, connection, in, out, parts[0].toUpperCase(Locale.ROOT), target,
                URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8), query, headers);
    }

    /** Reads a CRLF (or LF) terminated line as ISO-8859-1; {@code null} at a clean EOF before any byte. */
    private static String readLine(InputStream in, boolean eofOk) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (sb.length() == 0 && eofOk) {
                    return null;
                }
                throw new EOFException();
            }
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) b);
            if (sb.length() > MAX_HEAD) {
                throw new IOException("line too long");
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Thrown by {@link Exchange#drop()} to unwind the handler. */
    static final class DroppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DroppedException() {
            super("connection dropped on purpose", null, false, false);
        }
    }

    /** One request and its response. */
    final class Exchange {
        final Socket socket;
        /** Which of the server's connections (1, 2, …, in the order accepted) carried the request. */
        final long connection;
        final String method;
        final String target;
        final String path;
        final String query;
        final Map<String, String> headers;
        private final InputStream rawIn;
        private final OutputStream out;
        private final boolean expectContinue;
        private final boolean chunked;
        private final long contentLength;
        private InputStream body;
        private boolean continueSent;
        private boolean responded;
        private boolean dropped;
        private boolean keepAlive;
        private long bodyBytes;

        Exchange(Socket socket, long connection, InputStream in, OutputStream out, String method, String target, String path,
                 String query, Map<String, String> headers) {
            this.socket = socket;
            this.connection = connection;
            this.rawIn = in;
            this.out = out;
            this.method = method;
            this.target = target;
            this.path = path;
            this.query = query;
            this.headers = Collections.unmodifiableMap(headers);
            this.expectContinue = "100-continue".equalsIgnoreCase(headers.getOrDefault("Expect", "").trim());
            this.chunked = headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
            long cl = 0;
            if (!chunked && headers.containsKey("Content-Length")) {
                cl = Long.parseLong(headers.get("Content-Length").trim());
            }
            this.contentLength = chunked ? -1 : cl;
            this.keepAlive = !"close".equalsIgnoreCase(headers.getOrDefault("Connection", "").trim());
        }

        String header(String name) {
            return headers.get(name);
        }

        Map<String, String> queryParams() {
            Map<String, String> m = new LinkedHashMap<>();
            if (query == null || query.isEmpty()) {
                return m;
            }
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                String k = eq < 0 ? kv : kv.substring(0, eq);
                String v = eq < 0 ? "" : kv.substring(eq + 1);
                m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
            return m;
        }

        boolean expectsContinue() {
            return expectContinue;
        }

        boolean hasBody() {
            return chunked || contentLength > 0;
        }

        boolean continueSent() {
            return continueSent;
        }

        long bodyBytesRead() {
            return bodyBytes;
        }

        /** Answers {@code 100 Continue}: the client may now send the body. */
        void sendContinue() throws IOException {
            if (continueSent || responded || !expectContinue) {
                return;
            }
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            continueSent = true;
        }

        /** The request body; answers {@code 100 Continue} first if the client waits for it. */
        InputStream body() throws IOException {
            if (body == null) {
                sendContinue();
                InputStream raw = chunked ? new ChunkedInputStream(rawIn) : new BoundedInputStream(rawIn, contentLength);
                body = new InputStream() {
                    @Override
                    public int read() throws IOException {
                        int b = raw.read();
                        if (b >= 0) {
                            bodyBytes++;
                            bodyBytesTotal.incrementAndGet();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = raw.read(b, off, len);
                        if (n > 0) {
                            bodyBytes += n;
                            bodyBytesTotal.addAndGet(n);
                        }
                        return n;
                    }
                };
            }
            return body;
        }

        void respond(int status, String contentType, byte[] data) throws IOException {
            respond(status, Map.of("Content-Type", contentType), data);
        }

        void respond(int status, Map<String, String> extraHeaders, byte[] data) throws IOException {
            if (responded) {
                throw new IllegalStateException("already responded");
            }
            responded = true;
            // A client that waits for 100-continue and did not get it will not send its body:
            // the connection cannot be reused.
            if (expectContinue && !continueSent && hasBody()) {
                keepAlive = false;
            }
            StringBuilder sb = new StringBuilder();
            sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            for (Map.Entry<String, String> e : extraHeaders.entrySet()) {
                sb.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            }
            sb.append("Content-Length: ").append(data.length).append("\r\n");
            if (!keepAlive) {
                sb.append("Connection: close\r\n");
                Runnable counted = closing.get();
                if (counted != null) {
                    counted.run();
                }
            }
            sb.append("\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.write(data);
            out.flush();
        }

        void respondJson(int status, String json) throws IOException {
            respond(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * After answering without {@code 100 Continue}: waits briefly for body bytes the client
         * sends anyway (it should not) and returns how many arrived. A chunked body is decoded: a
         * client that ends the request with an empty body (the last chunk alone, as Apache
         * HttpClient 5 does after a 3xx) sends no body bytes.
         */
        long unsolicitedBodyBytes(int waitMillis) {
            long n = 0;
            try {
                socket.setSoTimeout(waitMillis);
                InputStream unsolicited = chunked ? new ChunkedInputStream(rawIn) : rawIn;
                byte[] buf = new byte[64 * 1024];
                int r;
                while ((r = unsolicited.read(buf)) > 0) {
                    n += r;
                }
            } catch (IOException ignored) {
                // timed out or closed: nothing (more) arrived
            }
            return n;
        }

        /** Closes the connection without an answer (a reset), unwinding the handler. */
        void drop() {
            dropped = true;
            closeQuietly(socket);
            throw new DroppedException();
        }

        /**
         * After the answer: reads what is left of the body so the connection can serve the next
         * request. Returns false when the connection must close instead.
         */
        boolean finishBody() {
            if (!hasBody()) {
                return true;
            }
            if (expectContinue && !continueSent) {
                return false;
            }
            try {
                InputStream b = body();
                byte[] buf = new byte[64 * 1024];
                long drained = 0;
                int n;
                while ((n = b.read(buf)) > 0) {
                    drained += n;
                    if (drained > 256L * 1024 * 1024) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static String reason(int status) {
        switch (status) {
            case 100: return "Continue";
            case 200: return "OK";
            case 307: return "Temporary Redirect";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            default: return "Status";
        }
    }

    /** A Content-Length body. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("body ended early");
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("body ended early");
            }
            remaining -= n;
            return n;
        }
    }

    /** A chunked transfer-encoded body. */
    private static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            if (chunkLeft > 0) {
                return true;
            }
            String line = readLine(in, false);
            int semi = line.indexOf(';');
            String size = (semi >= 0 ? line.substring(0, semi) : line).trim();
            if (size.isEmpty()) {
                line = readLine(in, false);
                semi = line.indexOf(';');
                size = (semi >= 0 ? line.substring(0, semi) : line).trim();
            }
            chunkLeft = Long.parseLong(size, 16);
            if (chunkLeft == 0) {
                // trailers
                String t;
                do {
                    t = readLine(in, false);
                } while (!t.isEmpty());
                done = true;
                return false;
            }
            return true;
        }

        private void endOfChunk() throws IOException {
            if (chunkLeft == 0) {
                String crlf = readLine(in, false);
                if (!crlf.isEmpty()) {
                    throw new IOException("malformed chunk");
                }
            }
        }

        @Override
        public int read() throws IOException {
            if (!nextChunk()) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("chunked body ended early");
            }
            chunkLeft--;
            endOfChunk();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!nextChunk()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new EOFException("chunked body ended early");
            }
            chunkLeft -= n;
            endOfChunk();
            return n;
        }
    }

    /** Reads everything from a stream (small bodies only). */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        in.transferTo(bo);
        return bo.toByteArray();
    }
}
