package io.inlet.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inlet.job.ErrorLog;
import io.inlet.job.JobException;
import io.inlet.job.JobManager;
import io.inlet.job.JobViews;
import io.inlet.job.RoutineLoadJob;
import io.inlet.job.SqlResult;
import io.inlet.sql.JobRef;
import io.inlet.sql.StatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The HTTP API: {@code POST /api/v1/sql}, {@code GET /api/v1/jobs[/{db}.{name}[/errors]]},
 * {@code GET /metrics} (Prometheus), {@code GET /healthz} (liveness) and {@code GET /readyz} (readiness).
 * A bearer token guards everything but the two probes.
 *
 * <p>The server answers from the moment the process is up, so that a container health check sees a live
 * process while it restores its jobs; until {@link #ready()} every other request is answered {@code 503}
 * with {@code Retry-After}, so that a job never looks missing and a name is never taken twice.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        // The JDK's server leaves Nagle's algorithm on, so a response written in two parts waits for the
        // client's delayed ACK: about 40 ms on every request. Read once, when the first server starts.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final JobManager jobs;
    private final byte[] token;
    private final HttpServer server;
    private final JobMetrics metrics;
    private volatile boolean ready;

    public ApiServer(JobManager jobs, InetSocketAddress listen, String token) throws IOException {
        this.jobs = jobs;
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.metrics = new JobMetrics(jobs);
        this.server = HttpServer.create(listen, 64);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "inlet-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
        jobs.errorLogUrls(this::errorLogUrl);
    }

    /** Where a job's error rows are served: SHOW's ErrorLogUrls. */
    private String errorLogUrl(RoutineLoadJob job) {
        return baseUrl() + "/api/v1/jobs/" + job.record().db() + "." + job.record().name() + "/errors";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/healthz")) {
                send(ex, 200, Map.of("status", "ok", "phase", phase()));
                return;
            }
            if (path.equals("/readyz")) {
                if (ready) {
                    send(ex, 200, Map.of("status", phase()));
                } else {
                    notYet(ex, Map.of("status", phase()));
                }
                return;
            }
            if (!authorized(ex)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                send(ex, 401, Map.of("error", "missing or wrong bearer token"));
                return;
            }
            if (!ready) {
                notYet(ex, Map.of("error", "Inlet is restoring its jobs; retry in a moment"));
                return;
            }
            String method = ex.getRequestMethod();
            if (path.equals("/api/v1/sql") && method.equals("POST")) {
                sql(ex);
            } else if (path.equals("/metrics") && method.equals("GET")) {
                byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            } else if (path.equals("/api/v1/jobs") && method.equals("GET")) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (RoutineLoadJob job : jobs.jobs()) {
                    out.add(describe(job));
                }
                send(ex, 200, out);
            } else if (path.startsWith("/api/v1/jobs/") && method.equals("GET")) {
                job(ex, path.substring("/api/v1/jobs/".length()));
            } else {
                send(ex, 404, Map.of("error", "no such endpoint: " + method + " " + path));
            }
        } catch (RuntimeException e) {
            log.warn("API request failed: {}", e.toString());
            send(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /** This replica's jobs are restored: statements and job views are answered from now on. */
    public void ready() {
        ready = true;
    }

    /** restoring, running (some job's tasks load here) or idle. */
    private String phase() {
        if (!ready) {
            return "restoring";
        }
        return jobs.jobs().stream().anyMatch(j -> !j.tasks().isEmpty()) ? "running" : "idle";
    }

    private void notYet(HttpExchange ex, Map<String, String> body) throws IOException {
        ex.getResponseHeaders().set("Retry-After", "1");
        send(ex, 503, body);
    }

    private boolean authorized(HttpExchange ex) {
        if (token == null) {
            return true;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private void sql(HttpExchange ex) throws IOException {
        String sql;
        try {
            JsonNode body = JSON.readTree(ex.getRequestBody());
            sql = body == null || !body.hasNonNull("sql") ? null : body.get("sql").asText();
        } catch (IOException e) {
            send(ex, 400, Map.of("error", "the body must be JSON: {\"sql\": \"...\"}"));
            return;
        }
        if (sql == null) {
            send(ex, 400, Map.of("error", "the body must be JSON: {\"sql\": \"...\"}"));
            return;
        }
        try {
            SqlResult result = jobs.execute(sql);
            if (result.isTable()) {
                send(ex, 200, Map.of("columns", result.columns(), "rows", result.rows()));
            } else {
                send(ex, 200, Map.of("ok", true, "message", result.message()));
            }
        } catch (StatementException e) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("error", e.getMessage());
            err.put("line", e.line());
            err.put("column", e.column());
            send(ex, 400, err);
        } catch (JobException e) {
            send(ex, 400, Map.of("error", e.getMessage()));
        } catch (Exception e) {
            send(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private void job(HttpExchange ex, String rest) throws IOException {
        boolean errors = rest.endsWith("/errors");
        String name = errors ? rest.substring(0, rest.length() - "/errors".length()) : rest;
        int dot = name.indexOf('.');
        JobRef ref = dot < 0 ? new JobRef(null, name) : new JobRef(name.substring(0, dot), name.substring(dot + 1));
        Optional<RoutineLoadJob> job = jobs.findAny(ref);
        if (job.isEmpty()) {
            send(ex, 404, Map.of("error", "routine load job " + name + " does not exist"));
            return;
        }
        if (errors) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ErrorLog.Entry e : job.get().errorLog().entries()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("time", e.time().toString());
                m.put("partition", e.partition());
                m.put("offset", e.offset());
                m.put("reason", e.reason());
                m.put("message", e.raw());
                out.add(m);
            }
            send(ex, 200, out);
        } else {
            send(ex, 200, describe(job.get()));
        }
    }

    private Map<String, Object> describe(RoutineLoadJob job) {
        List<String> row = JobViews.jobRow(job, errorLogUrl(job));
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < JobViews.JOB_COLUMNS.size(); i++) {
            m.put(JobViews.JOB_COLUMNS.get(i), row.get(i));
        }
        return m;
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
