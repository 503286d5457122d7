package io.inlet.streamload;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.Http1StreamListener;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link StreamLoadTransport} over Apache HttpClient 5 (classic API): a pooling client shared by
 * every Stream Load client of the process with the same TLS context and connect timeout, redirects
 * and automatic retries off (the Stream Load client follows redirects itself and never retries a
 * load by itself), {@code Expect: 100-continue} with HttpClient's own handling, chunked bodies.
 *
 * <p>Where HttpClient needs help: when a final answer comes instead of {@code 100 Continue},
 * HttpClient 5 ends the request with an empty chunked body for a 3xx/4xx/5xx (and keeps the
 * connection), but sends the whole body after a 2xx — which is how a BE answers {@code Label
 * Already Exists}. The body here checks, through the executor's stream listener, whether such an
 * answer came, and then sends nothing. A deadline for the whole exchange cancels the request.
 */
final class StreamLoadHttpClient5 implements StreamLoadTransport {

    private static final int CHUNK = 64 * 1024;
    private static final int MAX_RESPONSE = 16 * 1024 * 1024;
    private static final Timeout CONTINUE_WAIT = Timeout.ofSeconds(5);

    /** What the executing thread's exchange has done so far (the stream listener runs on that thread). */
    private static final class Exchange {
        boolean headSent;
        /** The request went out on a connection that had carried others. */
        boolean reused;
        int lastStatus;
        boolean bodySent;
    }

    private static final ThreadLocal<Exchange> CURRENT = new ThreadLocal<>();

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "inlet-streamload-hc5-deadline");
        t.setDaemon(true);
        return t;
    });

    /** The clients, by TLS context (identity) and connect timeout: never closed, their idle connections evicted. */
    private record Key(SSLContext tls, long connectTimeoutMs, int maxConnections) {}

    /** A client and its connection pool. */
    private record Pooled(CloseableHttpClient client, PoolingHttpClientConnectionManager pool) {}

    private static final Map<Key, Pooled> CLIENTS = new ConcurrentHashMap<>();

    private final CloseableHttpClient client;
    private final PoolingHttpClientConnectionManager pool;
    private final long requestTimeoutMs;
    private final RequestConfig requestConfig;

    StreamLoadHttpClient5(Duration connectTimeout, Duration requestTimeout, SSLContext sslContext, int maxConnections) {
        long connectMs = Math.max(1, connectTimeout.toMillis());
        Pooled pooled = CLIENTS.computeIfAbsent(new Key(sslContext, connectMs, maxConnections),
                StreamLoadHttpClient5::newClient);
        this.client = pooled.client();
        this.pool = pooled.pool();
        this.requestTimeoutMs = Math.max(1, requestTimeout.toMillis());
        this.requestConfig = RequestConfig.custom().setExpectContinueEnabled(true).setRedirectsEnabled(false)
                .setResponseTimeout(Timeout.ofMilliseconds(requestTimeoutMs))
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(connectMs)).build();
    }

    private static Pooled newClient(Key key) {
        SSLContext tls;
        try {
            tls = key.tls() != null ? key.tls() : SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
        Http1StreamListener listener = new Http1StreamListener() {
            @Override
            public void onRequestHead(HttpConnection connection, HttpRequest request) {
                Exchange ex = CURRENT.get();
                if (ex != null) {
                    ex.headSent = true;
                    ex.reused = connection.getEndpointDetails() != null
                            && connection.getEndpointDetails().getRequestCount() > 1;
                }
            }

            @Override
            public void onResponseHead(HttpConnection connection, HttpResponse response) {
                Exchange ex = CURRENT.get();
                if (ex != null) {
                    ex.lastStatus = response.getCode();
                }
            }

            @Override
            public void onExchangeComplete(HttpConnection connection, boolean keepAlive) {
                // nothing to track
            }
        };
        // chunks of 64 KiB through a buffer of two: a chunk and its framing leave in one write, not three
        Http1Config http1 = Http1Config.custom().setWaitForContinueTimeout(CONTINUE_WAIT).setBufferSize(2 * CHUNK)
                .setChunkSizeHint(CHUNK).build();
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                        // header values travel as UTF-8, as both warehouses read them
                        .setConnectionFactory(ManagedHttpClientConnectionFactory.builder().http1Config(http1)
                                .charCodingConfig(CharCodingConfig.custom().setCharset(StandardCharsets.UTF_8).build())
                                .build())
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(key.connectTimeoutMs()))
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1)).build())
                        .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                        .setMaxConnPerRoute(key.maxConnections()).setMaxConnTotal(key.maxConnections()).build();
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(pool)
                .setRequestExecutor(new HttpRequestExecutor(http1, DefaultConnectionReuseStrategy.INSTANCE, listener))
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableAuthCaching()
                .disableContentCompression().disableConnectionState()
                .evictIdleConnections(TimeValue.ofMilliseconds(StreamLoadHttp.IDLE_MS)).evictExpiredConnections()
                .setUserAgent("inlet-streamload")
                .build();
        return new Pooled(client, pool);
    }

    @Override
    public Response execute(String method, URI uri, Map<String, String> headers, StreamLoadBody body) throws IOException {
        try {
            return attempt(method, uri, headers, body);
        } catch (StaleFailure stale) {
            // the server had closed the kept-alive connection: the idle ones may be as stale, so they go, and the
            // request goes out again on a new connection (safe for the reasons StreamLoadHttp gives)
            pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
            try {
                return attempt(method, uri, headers, body);
            } catch (StaleFailure again) {
                throw again.failure;
            }
        }
    }

    /** A request failed on a reused connection before any answer and before its body was sent. */
    private static final class StaleFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final RequestFailure failure;

        StaleFailure(RequestFailure failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    private Response attempt(String method, URI uri, Map<String, String> headers, StreamLoadBody body)
            throws IOException, StaleFailure {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        request.setConfig(requestConfig);
        headers.forEach((name, value) -> {
            StreamLoadTransport.checkHeader(name, value);
            request.addHeader(name, value);
        });
        Exchange ex = new Exchange();
        if (body != null) {
            request.setEntity(new BodyEntity(body, ex));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        ScheduledFuture<?> kill = WATCHDOG.schedule(request::cancel, requestTimeoutMs, TimeUnit.MILLISECONDS);
        CURRENT.set(ex);
        try {
            return client.execute(request, response -> answer(response, ex));
        } catch (IOException | RuntimeException e) {
            boolean timedOut = e instanceof SocketTimeoutException || System.nanoTime() - deadline >= 0;
            if (!ex.headSent && !timedOut) {
                throw new ConnectFailure(StreamLoadTransport.describe(e), e);
            }
            if (timedOut) {
                throw new RequestFailure("no answer within " + requestTimeoutMs + " ms", ex.bodySent, true, e);
            }
            RequestFailure failure = new RequestFailure(StreamLoadTransport.describe(e), ex.bodySent, false, e);
            if (ex.reused && ex.lastStatus == 0 && !ex.bodySent) {
                throw new StaleFailure(failure);
            }
            throw failure;
        } finally {
            CURRENT.remove();
            kill.cancel(false);
        }
    }

    private static Response answer(ClassicHttpResponse response, Exchange ex) throws IOException {
        Map<String, String> h = new TreeMap<>();
        for (Header header : response.getHeaders()) {
            h.put(header.getName().toLowerCase(java.util.Locale.ROOT), header.getValue());
        }
        String text;
        try {
            text = response.getEntity() == null ? ""
                    : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8, MAX_RESPONSE);
        } catch (org.apache.hc.core5.http.ParseException e) {
            throw new IOException("unreadable answer: " + e.getMessage(), e);
        }
        return new Response(response.getCode(), Collections.unmodifiableMap(h), text, ex.bodySent);
    }

    /** A chunked body opened afresh for each write; nothing of it is sent when a final answer came first. */
    private static final class BodyEntity extends AbstractHttpEntity {
        private final StreamLoadBody body;
        private final Exchange ex;

        BodyEntity(StreamLoadBody body, Exchange ex) {
            super((String) null, null, true);
            this.body = body;
            this.ex = ex;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public boolean isRepeatable() {
            return true;
        }

        @Override
        public boolean isStreaming() {
            return false;
        }

        @Override
        public InputStream getContent() throws IOException {
            return body.open();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            if (ex.lastStatus >= 200) {
                // HttpClient sends the body after a 2xx that came instead of 100 Continue: end the request empty
                return;
            }
            ex.bodySent = true;
            try (InputStream in = body.open()) {
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                    out.write(buf, 0, n);
                }
            }
        }

        @Override
        public void close() {
            // each write opens and closes its own stream
        }
    }
}
