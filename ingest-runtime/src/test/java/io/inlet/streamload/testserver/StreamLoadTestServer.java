package io.inlet.streamload.testserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.LabelState;
import io.inlet.streamload.StreamLoadConfig;
import io.inlet.streamload.StreamLoadHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A Stream Load test server: one or more FEs and a BE on 127.0.0.1 (random ports) that behave as
 * StarRocks' or Doris' documentation describes, with in-memory tables whose rows tests read.
 *
 * <ul>
 *   <li>FE: checks Basic auth and the {@code Expect: 100-continue} header, then answers
 *       Stream Load, transaction and 2PC requests with {@code 307} to the BE, without reading the
 *       body; answers {@code GET /api/{db}/get_load_state?label=} itself.</li>
 *   <li>BE: checks Basic auth again and the label, answers {@code Label Already Exists} (with
 *       {@code ExistingJobStatus} RUNNING or FINISHED) before asking for the body, otherwise
 *       answers {@code 100 Continue}, streams and parses the body ({@link LoadParser}) and
 *       commits, or pre-commits.</li>
 *   <li>Transactions: PREPARE → PREPARED (Doris: PRECOMMITTED) → COMMITTED/VISIBLE, or ABORTED;
 *       {@code timeout} (PREPARE → PREPARED) and {@code prepared_timeout} abort them; finished
 *       labels are kept for the label retention time (StarRocks' {@code label_keep_max_second},
 *       3 days; Doris' {@code streaming_label_keep_max_second}, 12 hours) and, in a StarRocks
 *       database, at most {@code label_keep_max_num} of them (1000), the oldest forgotten first;
 *       aborted ones may be reused. The clock can be advanced.</li>
 *   <li>StarRocks flavor: {@code /api/transaction/begin|load|prepare|commit|rollback}; Doris
 *       flavor: {@code two_phase_commit} and {@code /api/{db}/_stream_load_2pc}. Each answers
 *       404 for the other's API.</li>
 *   <li>Faults: HTTP 500, timeouts, dropped connections (before or after commit), version
 *       pressure, publish timeouts, unreachable FEs.</li>
 * </ul>
 */
public final class StreamLoadTestServer implements AutoCloseable {

    /** Faults injected into the BE's next data requests ({@link #inject}) or commits ({@link #injectCommit}). */
    public enum Fault {
        /** Answers HTTP 500 (HTML, not Stream Load JSON) before reading the body: nothing happens. */
        HTTP_500,
        /** Reads the body and never answers (until {@link Builder#hangTime}), then drops: nothing is loaded. */
        TIMEOUT,
        /** Reads part of the body and resets the connection: nothing is loaded. */
        DROP_CONNECTION,
        /** Does the work (loads or commits), then resets the connection instead of answering. */
        DROP_AFTER_COMMIT,
        /** Reads the body and fails with the flavor's "too many versions" message: nothing is loaded. */
        VERSION_PRESSURE,
        /** Commits, but the data only becomes visible after the publish delay; answers {@code Publish Timeout}. */
        PUBLISH_TIMEOUT
    }

    /**
     * A request either endpoint received; {@code connection} numbers the endpoint's connections in the order it
     * accepted them, so that requests on the same number shared a kept-alive connection.
     */
    public record RecordedRequest(String endpoint, String method, String path, Map<String, String> headers,
                                  boolean continueSent, long bodyBytes, int status, long connection) {

        /** Whether the request carried Basic credentials of this user and password. */
        public boolean authorizedAs(String user, String password) {
            String a = headers.get("Authorization");
            return a != null && a.equals(basic(user, password));
        }
    }

    /** A read-only view of a transaction. */
    public record TransactionView(long txnId, String db, String table, String label, LabelState state,
                                  long loadedRows, long filteredRows, long unselectedRows, boolean twoPhase) {}

    private enum TxnState { PREPARE, PREPARED, COMMITTED, VISIBLE, ABORTED }

    private static final class Txn {
        final long id;
        final String db;
        final String table;
        final String label;
        final boolean twoPhase;
        final long createdAt;
        final long timeoutMs;
        TxnState state = TxnState.PREPARE;
        long preparedAt;
        long preparedTimeoutMs;
        long finishedAt;
        long publishAt;
        final List<Object[]> staged = new ArrayList<>();
        long total;
        long loaded;
        long filtered;
        long unselected;
        long bytes;
        long loadMs;
        int loads;
        double maxFilterRatio;
        String errorFile;
        String reason = "";

        Txn(long id, String db, String table, String label, boolean twoPhase, long createdAt, long timeoutMs) {
            this.id = id;
            this.db = db;
            this.table = table;
            this.label = label;
            this.twoPhase = twoPhase;
            this.createdAt = createdAt;
            this.timeoutMs = timeoutMs;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Flavor flavor;
    private final String user;
    private final String password;
    private final long labelKeepMs;
    private final int labelKeepMaxNum;
    private final long defaultPreparedTimeoutMs;
    private final long hangMs;
    private volatile long publishDelayMs;
    private final List<MiniHttpServer> fes = new ArrayList<>();
    private final MiniHttpServer be;
    private final Object lock = new Object();
    private final Map<String, TestTable> tables = new HashMap<>();
    private final Map<String, Map<String, Txn>> labels = new HashMap<>();
    private final Map<Long, Txn> txns = new HashMap<>();
    private final Map<String, List<String>> errorLogs = new ConcurrentHashMap<>();
    private final Deque<Fault> dataFaults = new ArrayDeque<>();
    private final Deque<Fault> commitFaults = new ArrayDeque<>();
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong nextTxnId = new AtomicLong(1000);
    private final AtomicLong clockOffsetMs = new AtomicLong();
    private final AtomicLong feBodyBytes = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger feDrops = new java.util.concurrent.atomic.AtomicInteger();
    private final Gauge connections = new Gauge();
    private final Gauge requestsInFlight = new Gauge();

    private StreamLoadTestServer(Builder b) throws IOException {
        this.flavor = b.flavor;
        this.user = b.user;
        this.password = b.password;
        this.labelKeepMs = (b.labelKeep != null ? b.labelKeep
                : b.flavor == Flavor.DORIS ? Duration.ofHours(12) : Duration.ofDays(3)).toMillis();
        this.labelKeepMaxNum = b.labelKeepMaxNum > 0 ? b.labelKeepMaxNum
                : b.flavor == Flavor.DORIS ? Integer.MAX_VALUE : 1000;
        this.defaultPreparedTimeoutMs = b.preparedTimeout.toMillis();
        this.hangMs = b.hangTime.toMillis();
        this.publishDelayMs = b.publishDelay.toMillis();
        this.be = new MiniHttpServer("be", this::handleBe, b.tls, connections, requestsInFlight);
        be.start(0);
        for (int i = 0; i < b.feCount; i++) {
            int index = i;
            MiniHttpServer fe = new MiniHttpServer("fe" + i, ex -> handleFe(index, ex), b.tls, connections,
                    requestsInFlight);
            fe.start(0);
            fes.add(fe);
        }
    }

    public static Builder builder(Flavor flavor) {
        return new Builder(flavor);
    }

    /** A server of this flavor with one FE, user {@code root}, password {@code secret}. */
    public static StreamLoadTestServer start(Flavor flavor) {
        return builder(flavor).build();
    }

    // ---------------------------------------------------------------- accessors for tests

    public Flavor flavor() {
        return flavor;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public URI feUrl(int index) {
        MiniHttpServer fe = fes.get(index);
        return URI.create(fe.scheme() + "://127.0.0.1:" + fe.port());
    }

    public List<URI> feUrls() {
        List<URI> out = new ArrayList<>();
        for (int i = 0; i < fes.size(); i++) {
            out.add(feUrl(i));
        }
        return out;
    }

    public URI beUrl() {
        return URI.create(be.scheme() + "://127.0.0.1:" + be.port());
    }

    /** The Flink connector's {@code load-url} for this server's FEs. */
    public String loadUrl() {
        return feUrls().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    /** A client configuration for a table of this server. */
    public StreamLoadConfig.Builder clientConfig(String database, String table) {
        return StreamLoadConfig.builder().loadUrls(loadUrl()).user(user).password(password).database(database)
                .table(table).flavor(flavor).connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(20));
    }

    /** Creates (or replaces) a table with columns like {@code "id BIGINT NOT NULL"}, {@code "name VARCHAR(64)"}. */
    public TestTable createTable(String database, String table, String... columns) {
        return createTable(database, table, false, columns);
    }

    /** A table that only counts its rows. */
    public TestTable createCountingTable(String database, String table, String... columns) {
        return createTable(database, table, true, columns);
    }

    private TestTable createTable(String database, String table, boolean countOnly, String... columns) {
        TestTable t = new TestTable(database, table, TestTable.parseColumns(columns), countOnly);
        synchronized (lock) {
            tables.put(key(database, table), t);
        }
        return t;
    }

    public TestTable table(String database, String table) {
        synchronized (lock) {
            tick();
            TestTable t = tables.get(key(database, table));
            if (t == null) {
                throw new IllegalArgumentException("no table " + database + "." + table);
            }
            return t;
        }
    }

    public List<Map<String, Object>> rows(String database, String table) {
        return table(database, table).rows();
    }

    public long rowCount(String database, String table) {
        return table(database, table).rowCount();
    }

    /** The state {@code get_load_state} would report. */
    public LabelState labelState(String database, String label) {
        synchronized (lock) {
            tick();
            Txn t = labels.getOrDefault(database, Map.of()).get(label);
            return t == null ? LabelState.UNKNOWN : toLabelState(t.state);
        }
    }

    public Optional<TransactionView> transaction(String database, String label) {
        synchronized (lock) {
            tick();
            Txn t = labels.getOrDefault(database, Map.of()).get(label);
            return Optional.ofNullable(t).map(StreamLoadTestServer::view);
        }
    }

    /** Transactions that are neither committed nor aborted. */
    public List<TransactionView> pendingTransactions(String database) {
        synchronized (lock) {
            tick();
            return labels.getOrDefault(database, Map.of()).values().stream()
                    .filter(t -> t.state == TxnState.PREPARE || t.state == TxnState.PREPARED)
                    .map(StreamLoadTestServer::view).collect(Collectors.toList());
        }
    }

    private static TransactionView view(Txn t) {
        return new TransactionView(t.id, t.db, t.table, t.label, toLabelState(t.state), t.loaded, t.filtered,
                t.unselected, t.twoPhase);
    }

    /** Requests received so far, FE and BE, oldest first. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    /** Request body bytes the BE has read so far, across all requests (grows while a body streams in). */
    public long beBodyBytesReceived() {
        return be.bodyBytesReceived();
    }

    /** Connections open now to the FEs and the BE together (idle keep-alive connections included). */
    public int openConnections() {
        return connections.open();
    }

    /** The most connections open at once to the FEs and the BE together since the server started. */
    public int peakOpenConnections() {
        return connections.peak();
    }

    /** The most requests the FEs and the BE were handling at once since the server started. */
    public int peakRequestsInFlight() {
        return requestsInFlight.peak();
    }

    /** Bytes of request bodies an FE received although it never answered {@code 100 Continue}. */
    public long feBodyBytesReceived() {
        return feBodyBytes.get();
    }

    // ---------------------------------------------------------------- faults and time

    /** The next {@code times} data requests (Stream Loads, transaction loads) on the BE meet this fault. */
    public void inject(Fault fault, int times) {
        synchronized (lock) {
            for (int i = 0; i < times; i++) {
                dataFaults.add(fault);
            }
        }
    }

    /** The next {@code times} commits (transaction commit, 2PC commit) meet this fault. */
    public void injectCommit(Fault fault, int times) {
        synchronized (lock) {
            for (int i = 0; i < times; i++) {
                commitFaults.add(fault);
            }
        }
    }

    /** Commit faults injected and not yet met by a commit. */
    public int pendingCommitFaults() {
        synchronized (lock) {
            return commitFaults.size();
        }
    }

    /** The FEs reset the next {@code times} connections without answering (an FE restarting, a stale connection). */
    public void dropFrontendConnections(int times) {
        feDrops.addAndGet(times);
    }

    public void clearFaults() {
        feDrops.set(0);
        synchronized (lock) {
            dataFaults.clear();
            commitFaults.clear();
        }
    }

    /** Restarts the BE on its port: the connections clients keep alive to it are cut. */
    public void restartBackend() {
        be.stop();
        try {
            be.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops or restarts an FE (same port): while stopped, connections to it are refused. */
    public void setFeReachable(int index, boolean reachable) {
        MiniHttpServer fe = fes.get(index);
        if (reachable) {
            try {
                fe.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            fe.stop();
        }
    }

    /** How long a publish-timeout commit stays COMMITTED before it becomes VISIBLE. */
    public void setPublishDelay(Duration d) {
        this.publishDelayMs = d.toMillis();
    }

    /** Moves the server's clock forward: transaction timeouts, label retention, publishing. */
    public void advanceClock(Duration d) {
        clockOffsetMs.addAndGet(d.toMillis());
        synchronized (lock) {
            tick();
        }
    }

    private long now() {
        return System.currentTimeMillis() + clockOffsetMs.get();
    }

    @Override
    public void close() {
        for (MiniHttpServer fe : fes) {
            fe.close();
        }
        be.close();
    }

    // ---------------------------------------------------------------- FE

    private void handleFe(int index, MiniHttpServer.Exchange ex) throws IOException {
        String endpoint = "fe" + index;
        synchronized (lock) {
            tick();
        }
        if (feDrops.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            record(endpoint, ex, -1);
            ex.drop();
        }
        if (!authorized(ex)) {
            unauthorized(endpoint, ex);
            return;
        }
        List<String> seg = segments(ex.path);
        // GET /api/{db}/get_load_state?label=
        if (ex.method.equals("GET") && seg.size() == 3 && seg.get(0).equals("api") && seg.get(2).equals("get_load_state")) {
            getLoadState(endpoint, ex, seg.get(1));
            return;
        }
        // GET /api/{db}/{table}/_schema
        if (ex.method.equals("GET") && seg.size() == 4 && seg.get(0).equals("api") && seg.get(3).equals("_schema")) {
            schema(endpoint, ex, seg.get(1), seg.get(2));
            return;
        }
        boolean write = ex.method.equals("PUT") || ex.method.equals("POST");
        // PUT /api/{db}/{table}/_stream_load
        if (write && seg.size() == 4 && seg.get(0).equals("api") && seg.get(3).equals("_stream_load")) {
            if (!ex.expectsContinue()) {
                reply(endpoint, ex, 200, failedRest("There is no 100-continue header"));
                return;
            }
            redirect(endpoint, ex);
            return;
        }
        // /api/transaction/{op}
        if (write && seg.size() == 3 && seg.get(0).equals("api") && seg.get(1).equals("transaction")) {
            if (flavor != Flavor.STARROCKS) {
                reply(endpoint, ex, 404, notFound(ex));
                return;
            }
            if (!List.of("begin", "load", "prepare", "commit", "rollback").contains(seg.get(2))) {
                reply(endpoint, ex, 200, txnResult("FAILED", "Unknown transaction operation: " + seg.get(2), null));
                return;
            }
            if (blank(ex.header(StreamLoadHeaders.LABEL))) {
                reply(endpoint, ex, 200, txnResult("FAILED", "No label selected.", null));
                return;
            }
            if (blank(ex.header(StreamLoadHeaders.DB))) {
                reply(endpoint, ex, 200, txnResult("FAILED", "No database selected.", null));
                return;
            }
            redirect(endpoint, ex);
            return;
        }
        // PUT /api/{db}[/{table}]/_stream_load_2pc
        if (write && (seg.size() == 3 || seg.size() == 4) && seg.get(0).equals("api")
                && seg.get(seg.size() - 1).equals("_stream_load_2pc")) {
            if (flavor != Flavor.DORIS) {
                reply(endpoint, ex, 404, notFound(ex));
                return;
            }
            if (blank(ex.header(StreamLoadHeaders.TXN_ID)) && blank(ex.header(StreamLoadHeaders.LABEL))) {
                reply(endpoint, ex, 200, failedRest("No transaction id or label selected."));
                return;
            }
            if (blank(ex.header(StreamLoadHeaders.TXN_OPERATION))) {
                reply(endpoint, ex, 200, failedRest("No transaction operation('commit' or 'abort') selected."));
                return;
            }
            redirect(endpoint, ex);
            return;
        }
        reply(endpoint, ex, 404, notFound(ex));
    }

    private void redirect(String endpoint, MiniHttpServer.Exchange ex) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Location", beUrl() + ex.target);
        h.put("Content-Type", "text/plain; charset=utf-8");
        record(endpoint, ex, 307);
        ex.respond(307, h, new byte[0]);
        // An FE never asks for the body; a client that sends it anyway wastes it.
        if (ex.expectsContinue() && ex.hasBody()) {
            feBodyBytes.addAndGet(ex.unsolicitedBodyBytes(50));
        } else if (!ex.expectsContinue() && ex.hasBody()) {
            // without Expect the client sends the body right away
            feBodyBytes.addAndGet(Math.max(1, ex.unsolicitedBodyBytes(50)));
        }
    }

    private void getLoadState(String endpoint, MiniHttpServer.Exchange ex, String db) throws IOException {
        String label = ex.queryParams().get("label");
        ObjectNode n = JSON.createObjectNode();
        boolean dbExists;
        Txn t;
        synchronized (lock) {
            dbExists = tables.keySet().stream().anyMatch(k -> k.startsWith(db + "."));
            t = labels.getOrDefault(db, Map.of()).get(label);
        }
        String state = t == null ? "UNKNOWN" : stateName(t.state);
        if (flavor == Flavor.STARROCKS) {
            if (blank(label) || !dbExists) {
                String msg = blank(label) ? "No label selected." : "unknown database, database=" + db;
                n.put("status", "FAILED").put("code", "1").put("msg", msg).put("message", msg);
            } else {
                n.put("status", "OK").put("code", "0").put("msg", "Success").put("message", "OK")
                        .put("state", state).put("reason", t == null ? "" : t.reason);
            }
        } else {
            if (blank(label) || !dbExists) {
                n.put("msg", blank(label) ? "No label selected." : "unknown database, database=" + db).put("code", 1)
                        .putNull("data").put("count", 0);
            } else {
                n.put("msg", "success").put("code", 0).put("data", state).put("count", 0);
            }
        }
        reply(endpoint, ex, 200, n.toString());
    }

    // ---------------------------------------------------------------- BE

    /** The FE's {@code _schema} REST API, in the flavor's shape: a type name, DECIMAL's precision and scale. */
    private void schema(String endpoint, MiniHttpServer.Exchange ex, String db, String tableName) throws IOException {
        TestTable table;
        synchronized (lock) {
            table = tables.get(key(db, tableName));
        }
        if (table == null) {
            ObjectNode n = JSON.createObjectNode();
            String msg = "Table [" + tableName + "] not found in database [" + db + "]";
            if (flavor == Flavor.DORIS) {
                n.put("msg", "Not found").put("code", 404).put("data", msg).put("count", 0);
            } else {
                n.put("status", "FAILED").put("msg", msg);
            }
            reply(endpoint, ex, flavor == Flavor.DORIS ? 200 : 404, n.toString());
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        var props = body.putArray("properties");
        for (TestTable.Column c : table.columns()) {
            ObjectNode col = props.addObject();
            String declared = c.declared();
            int paren = declared.indexOf('(');
            col.put("name", c.name()).put("type", paren < 0 ? declared : declared.substring(0, paren).trim())
                    .put("comment", "").put("aggregation_type", "").put("is_nullable", c.nullable() ? "Yes" : "No");
            if (c.type() == TestTable.Type.DECIMAL && paren > 0) {
                String[] ps = declared.substring(paren + 1, declared.indexOf(')')).split(",");
                col.put("precision", Integer.parseInt(ps[0].trim())).put("scale", ps.length > 1 ? Integer.parseInt(ps[1].trim()) : 0);
            }
        }
        body.put("status", 200);
        if (flavor == Flavor.DORIS) {
            body.put("keysType", "DUP_KEYS");
            ObjectNode wrapped = JSON.createObjectNode();
            wrapped.put("msg", "success").put("code", 0).set("data", body);
            wrapped.put("count", 0);
            reply(endpoint, ex, 200, wrapped.toString());
        } else {
            reply(endpoint, ex, 200, body.toString());
        }
    }

    private void handleBe(MiniHttpServer.Exchange ex) throws Exception {
        synchronized (lock) {
            tick();
        }
        List<String> seg = segments(ex.path);
        if (ex.method.equals("GET") && seg.size() == 2 && seg.get(0).equals("api") && seg.get(1).equals("_load_error_log")) {
            String file = ex.queryParams().get("file");
            List<String> lines = file == null ? null : errorLogs.get(file);
            if (lines == null) {
                reply("be", ex, 404, "no such error log");
            } else {
                record("be", ex, 200);
                ex.respond(200, "text/plain; charset=utf-8", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        if (!authorized(ex)) {
            unauthorized("be", ex);
            return;
        }
        boolean write = ex.method.equals("PUT") || ex.method.equals("POST");
        if (write && seg.size() == 4 && seg.get(0).equals("api") && seg.get(3).equals("_stream_load")) {
            boolean twoPhase = flavor == Flavor.DORIS
                    && "true".equalsIgnoreCase(String.valueOf(ex.header(StreamLoadHeaders.TWO_PHASE_COMMIT)).trim());
            streamLoad(ex, seg.get(1), seg.get(2), twoPhase);
            return;
        }
        if (write && seg.size() == 3 && seg.get(0).equals("api") && seg.get(1).equals("transaction")
                && flavor == Flavor.STARROCKS) {
            transaction(ex, seg.get(2));
            return;
        }
        if (write && (seg.size() == 3 || seg.size() == 4) && seg.get(0).equals("api")
                && seg.get(seg.size() - 1).equals("_stream_load_2pc") && flavor == Flavor.DORIS) {
            twoPhase(ex, seg.get(1));
            return;
        }
        reply("be", ex, 404, notFound(ex));
    }

    private void streamLoad(MiniHttpServer.Exchange ex, String db, String tableName, boolean twoPhase) throws Exception {
        long started = System.nanoTime();
        String label = ex.header(StreamLoadHeaders.LABEL);
        if (blank(label)) {
            label = UUID.randomUUID().toString();
        }
        TestTable table;
        Fault fault;
        Txn txn;
        synchronized (lock) {
            table = tables.get(key(db, tableName));
            if (table == null) {
                reply("be", ex, 200, loadResult(null, label, "Fail", unknownTable(db, tableName), null, 0));
                return;
            }
            fault = dataFaults.poll();
            if (fault == Fault.HTTP_500) {
                record("be", ex, 500);
                ex.respond(500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>"
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            Txn existing = labels.getOrDefault(db, Map.of()).get(label);
            if (existing != null && existing.state != TxnState.ABORTED) {
                ObjectNode n = JSON.createObjectNode();
                n.put("TxnId", existing.id).put("Label", label);
                if (flavor == Flavor.DORIS) {
                    n.put("Comment", "").put("TwoPhaseCommit", String.valueOf(twoPhase));
                }
                n.put("Status", "Label Already Exists").put("ExistingJobStatus", existingJobStatus(existing))
                        .put("Message", labelUsedMessage(existing));
                zeroCounters(n);
                reply("be", ex, 200, n.toString());
                return;
            }
            long timeoutMs = seconds(ex.header(StreamLoadHeaders.TIMEOUT), 600) * 1000;
            txn = new Txn(nextTxnId.getAndIncrement(), db, tableName, label, twoPhase, now(), timeoutMs);
            register(txn);
        }
        ex.sendContinue();
        if (fault == Fault.DROP_CONNECTION) {
            abortAndDrop(ex, txn, "connection reset by the test server");
        }
        LoadParser.Result result;
        try {
            result = new LoadParser(flavor, table, ex.headers).parse(ex.body());
        } catch (LoadParser.LoadFailure e) {
            abort(txn, e.getMessage());
            reply("be", ex, 200, loadResult(txn, label, "Fail", e.getMessage(), null, elapsed(started)));
            return;
        }
        if (fault == Fault.TIMEOUT) {
            hangAndDrop(ex, txn);
        }
        if (fault == Fault.VERSION_PRESSURE) {
            abort(txn, versionPressureMessage());
            reply("be", ex, 200, loadResult(txn, label, "Fail", versionPressureMessage(), null, elapsed(started)));
            return;
        }
        double ratio = ratio(ex.header(StreamLoadHeaders.MAX_FILTER_RATIO));
        String errorUrl = null;
        synchronized (lock) {
            accumulate(txn, result, ratio, started);
            errorUrl = errorUrl(txn, result);
            if (tooManyFiltered(txn)) {
                abortLocked(txn, "too many filtered rows");
            } else if (twoPhase) {
                txn.state = TxnState.PREPARED;
                txn.preparedAt = now();
                txn.preparedTimeoutMs = defaultPreparedTimeoutMs;
            } else {
                commitLocked(txn, fault == Fault.PUBLISH_TIMEOUT);
            }
        }
        if (fault == Fault.DROP_AFTER_COMMIT) {
            record("be", ex, -1);
            ex.drop();
        }
        String status;
        String message;
        if (txn.state == TxnState.ABORTED) {
            status = "Fail";
            message = "too many filtered rows";
        } else if (txn.state == TxnState.COMMITTED) {
            status = "Publish Timeout";
            message = "transaction commit successfully, BUT data will be visible later";
        } else {
            status = "Success";
            message = "OK";
        }
        reply("be", ex, 200, loadResult(txn, label, status, message, errorUrl, elapsed(started)));
    }

    private void transaction(MiniHttpServer.Exchange ex, String op) throws Exception {
        long started = System.nanoTime();
        String label = ex.header(StreamLoadHeaders.LABEL);
        String db = ex.header(StreamLoadHeaders.DB);
        String tableName = ex.header(StreamLoadHeaders.TABLE);
        switch (op) {
            case "begin": {
                synchronized (lock) {
                    TestTable table = tables.get(key(db, tableName));
                    if (table == null) {
                        reply("be", ex, 200, txnResult("FAILED", unknownTable(db, tableName), label));
                        return;
                    }
                    Txn existing = labels.getOrDefault(db, Map.of()).get(label);
                    if (existing != null && existing.state != TxnState.ABORTED) {
                        ObjectNode n = JSON.createObjectNode();
                        n.put("Status", "LABEL_ALREADY_EXISTS").put("ExistingJobStatus", existingJobStatus(existing))
                                .put("Message", labelUsedMessage(existing));
                        reply("be", ex, 200, n.toString());
                        return;
                    }
                    long timeoutMs = seconds(ex.header(StreamLoadHeaders.TIMEOUT), 600) * 1000;
                    Txn txn = new Txn(nextTxnId.getAndIncrement(), db, tableName, label, true, now(), timeoutMs);
                    register(txn);
                    ObjectNode n = JSON.createObjectNode();
                    n.put("Status", "OK").put("Message", "").put("Label", label).put("TxnId", txn.id)
                            .put("BeginTxnTimeMs", 0);
                    reply("be", ex, 200, n.toString());
                }
                return;
            }
            case "load": {
                Txn txn;
                TestTable table;
                Fault fault;
                synchronized (lock) {
                    txn = labels.getOrDefault(db, Map.of()).get(label);
                    if (txn == null) {
                        reply("be", ex, 200, txnResult("FAILED", "TXN_NOT_EXISTS", label));
                        return;
                    }
                    if (txn.state != TxnState.PREPARE) {
                        reply("be", ex, 200, txnResult(txn, "FAILED", "Transcation State Invalid"));
                        return;
                    }
                    if (tableName != null && !tableName.equals(txn.table)) {
                        reply("be", ex, 200, txnResult(txn, "FAILED", "table " + tableName
                                + " does not belong to the transaction of table " + txn.table));
                        return;
                    }
                    table = tables.get(key(db, txn.table));
                    fault = dataFaults.poll();
                    if (fault == Fault.HTTP_500) {
                        record("be", ex, 500);
                        ex.respond(500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>"
                                .getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                }
                ex.sendContinue();
                if (fault == Fault.DROP_CONNECTION) {
                    abortAndDrop(ex, txn, "connection reset by the test server");
                }
                LoadParser.Result result;
                try {
                    result = new LoadParser(flavor, table, ex.headers).parse(ex.body());
                } catch (LoadParser.LoadFailure e) {
                    abort(txn, e.getMessage());
                    reply("be", ex, 200, txnResult(txn, "FAILED", e.getMessage()));
                    return;
                }
                if (fault == Fault.TIMEOUT) {
                    hangAndDrop(ex, txn);
                }
                if (fault == Fault.VERSION_PRESSURE) {
                    abort(txn, versionPressureMessage());
                    reply("be", ex, 200, txnResult(txn, "FAILED", versionPressureMessage()));
                    return;
                }
                int seq;
                String errorUrl;
                synchronized (lock) {
                    if (txn.state != TxnState.PREPARE) {
                        reply("be", ex, 200, txnResult(txn, "FAILED", "Transcation State Invalid"));
                        return;
                    }
                    accumulate(txn, result, ratio(ex.header(StreamLoadHeaders.MAX_FILTER_RATIO)), started);
                    seq = txn.loads++;
                    errorUrl = errorUrl(txn, result);
                }
                if (fault == Fault.DROP_AFTER_COMMIT) {
                    ex.drop();
                }
                ObjectNode n = JSON.createObjectNode();
                n.put("TxnId", txn.id).put("Seq", seq).put("Label", label).put("Status", "OK").put("Message", "")
                        .put("NumberTotalRows", result.total()).put("NumberLoadedRows", result.loaded())
                        .put("NumberFilteredRows", result.filtered()).put("NumberUnselectedRows", result.unselected())
                        .put("LoadBytes", result.bytes()).put("LoadTimeMs", elapsed(started))
                        .put("StreamLoadPutTimeMs", 0).put("ReceivedDataTimeMs", elapsed(started));
                if (errorUrl != null) {
                    n.put("ErrorURL", errorUrl);
                }
                reply("be", ex, 200, n.toString());
                return;
            }
            case "prepare": {
                synchronized (lock) {
                    Txn txn = labels.getOrDefault(db, Map.of()).get(label);
                    if (txn == null) {
                        reply("be", ex, 200, txnResult("FAILED", "Transcation Not Exist", label));
                        return;
                    }
                    if (txn.state == TxnState.PREPARED) {
                        reply("be", ex, 200, txnCounters(txn, "OK", ""));
                        return;
                    }
                    if (txn.state != TxnState.PREPARE) {
                        reply("be", ex, 200, txnResult(txn, "FAILED", "Transcation State Invalid"));
                        return;
                    }
                    if (tooManyFiltered(txn)) {
                        abortLocked(txn, "too many filtered rows");
                        ObjectNode n = (ObjectNode) JSON.readTree(txnCounters(txn, "FAILED", "too many filtered rows"));
                        if (txn.errorFile != null) {
                            n.put("ErrorURL", beUrl() + "/api/_load_error_log?file=" + txn.errorFile);
                        }
                        reply("be", ex, 200, n.toString());
                        return;
                    }
                    txn.state = TxnState.PREPARED;
                    txn.preparedAt = now();
                    txn.preparedTimeoutMs = seconds(ex.header(StreamLoadHeaders.PREPARED_TIMEOUT),
                            defaultPreparedTimeoutMs / 1000) * 1000;
                    reply("be", ex, 200, txnCounters(txn, "OK", ""));
                }
                return;
            }
            case "commit": {
                Fault fault;
                Txn txn;
                synchronized (lock) {
                    txn = labels.getOrDefault(db, Map.of()).get(label);
                    if (txn == null) {
                        reply("be", ex, 200, txnResult("FAILED", "Transcation Not Exist", label));
                        return;
                    }
                    if (txn.state == TxnState.COMMITTED || txn.state == TxnState.VISIBLE) {
                        reply("be", ex, 200, txnResult(txn, "OK", "Transaction already commited"));
                        return;
                    }
                    if (txn.state == TxnState.ABORTED) {
                        reply("be", ex, 200, txnResult(txn, "FAILED", "Transcation State Invalid: transaction is ABORTED"
                                + (txn.reason.isEmpty() ? "" : " (" + txn.reason + ")")));
                        return;
                    }
                    fault = commitFaults.poll();
                    if (fault == Fault.HTTP_500) {
                        record("be", ex, 500);
                        ex.respond(500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>"
                                .getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    if (fault != Fault.TIMEOUT) {
                        if (tooManyFiltered(txn)) {
                            abortLocked(txn, "too many filtered rows");
                            reply("be", ex, 200, txnCounters(txn, "FAILED", "too many filtered rows"));
                            return;
                        }
                        commitLocked(txn, fault == Fault.PUBLISH_TIMEOUT);
                    }
                }
                if (fault == Fault.TIMEOUT) {
                    hangAndDrop(ex, null);
                    return;
                }
                if (fault == Fault.DROP_AFTER_COMMIT) {
                    ex.drop();
                }
                if (fault == Fault.PUBLISH_TIMEOUT) {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("TxnId", txn.id).put("Label", label).put("Status", "FAILED").put("Message", "publish timeout")
                            .put("CommitAndPublishTimeMs", elapsed(started));
                    reply("be", ex, 200, n.toString());
                    return;
                }
                reply("be", ex, 200, txnCounters(txn, "OK", ""));
                return;
            }
            case "rollback": {
                synchronized (lock) {
                    Txn txn = labels.getOrDefault(db, Map.of()).get(label);
                    if (txn == null) {
                        reply("be", ex, 200, txnResult("FAILED", "Transcation Not Exist", label));
                        return;
                    }
                    if (txn.state == TxnState.COMMITTED || txn.state == TxnState.VISIBLE) {
                        reply("be", ex, 200, txnResult(txn, "FAILED", "Transcation State Invalid: transaction is "
                                + stateName(txn.state)));
                        return;
                    }
                    abortLocked(txn, "rolled back by the client");
                    reply("be", ex, 200, txnResult(txn, "OK", ""));
                }
                return;
            }
            default:
                reply("be", ex, 404, notFound(ex));
        }
    }

    private void twoPhase(MiniHttpServer.Exchange ex, String db) throws Exception {
        String txnIdHeader = ex.header(StreamLoadHeaders.TXN_ID);
        String label = ex.header(StreamLoadHeaders.LABEL);
        String op = String.valueOf(ex.header(StreamLoadHeaders.TXN_OPERATION)).trim().toLowerCase(Locale.ROOT);
        if (!op.equals("commit") && !op.equals("abort")) {
            reply("be", ex, 200, status2pc("INTERNAL_ERROR", "transaction operation should be 'commit' or 'abort'"));
            return;
        }
        Fault fault = null;
        Txn txn;
        String what;
        synchronized (lock) {
            if (!blank(txnIdHeader)) {
                long id;
                try {
                    id = Long.parseLong(txnIdHeader.trim());
                } catch (NumberFormatException e) {
                    reply("be", ex, 200, status2pc("INTERNAL_ERROR", "convert txn_id [" + txnIdHeader + "] failed"));
                    return;
                }
                txn = txns.get(id);
                if (txn != null && !txn.db.equals(db)) {
                    txn = null;
                }
                what = "transaction [" + id + "]";
            } else {
                txn = labels.getOrDefault(db, Map.of()).get(label);
                what = "label [" + label + "]";
            }
            if (txn == null) {
                reply("be", ex, 200, status2pc("ANALYSIS_ERROR", what + " not found"));
                return;
            }
            if (op.equals("commit")) {
                switch (txn.state) {
                    case VISIBLE:
                    case COMMITTED:
                        reply("be", ex, 200, status2pc("ANALYSIS_ERROR", what + " is already visible, not pre-committed."));
                        return;
                    case ABORTED:
                        reply("be", ex, 200, status2pc("ANALYSIS_ERROR", what + " is already aborted, abort reason: "
                                + txn.reason));
                        return;
                    case PREPARE:
                        reply("be", ex, 200, status2pc("ANALYSIS_ERROR", what + " is not pre-committed"));
                        return;
                    default:
                        break;
                }
                fault = commitFaults.poll();
                if (fault == Fault.HTTP_500) {
                    record("be", ex, 500);
                    ex.respond(500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>"
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (fault != Fault.TIMEOUT) {
                    commitLocked(txn, fault == Fault.PUBLISH_TIMEOUT);
                }
            } else {
                switch (txn.state) {
                    case VISIBLE:
                    case COMMITTED:
                        reply("be", ex, 200, status2pc("ANALYSIS_ERROR", what + " is already visible, could not abort."));
                        return;
                    case ABORTED:
                        reply("be", ex, 200, status2pc("ANALYSIS_ERROR", what + " is already aborted, abort reason: "
                                + txn.reason));
                        return;
                    default:
                        abortLocked(txn, "user abort");
                }
            }
        }
        if (fault == Fault.TIMEOUT) {
            hangAndDrop(ex, null);
        }
        if (fault == Fault.DROP_AFTER_COMMIT) {
            ex.drop();
        }
        reply("be", ex, 200, status2pc("Success", what + " " + op + " successfully."));
    }

    // ---------------------------------------------------------------- transactions

    private void register(Txn txn) {
        labels.computeIfAbsent(txn.db, k -> new HashMap<>()).put(txn.label, txn);
        txns.put(txn.id, txn);
    }

    private void accumulate(Txn txn, LoadParser.Result r, double ratio, long startedNanos) {
        txn.staged.addAll(r.rows());
        txn.total += r.total();
        txn.loaded += r.loaded();
        txn.filtered += r.filtered();
        txn.unselected += r.unselected();
        txn.bytes += r.bytes();
        txn.loadMs += elapsed(startedNanos);
        txn.maxFilterRatio = ratio;
    }

    /** Records the filtered rows' reasons for {@code ErrorURL}; returns the URL, or null without errors. */
    private String errorUrl(Txn txn, LoadParser.Result r) {
        if (r.errors().isEmpty()) {
            return null;
        }
        if (txn.errorFile == null) {
            txn.errorFile = "error_log_" + txn.id + "_" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        }
        errorLogs.computeIfAbsent(txn.errorFile, k -> Collections.synchronizedList(new ArrayList<>())).addAll(r.errors());
        return beUrl() + "/api/_load_error_log?file=" + txn.errorFile;
    }

    private static boolean tooManyFiltered(Txn txn) {
        long considered = txn.total - txn.unselected;
        return txn.filtered > 0 && txn.filtered > considered * txn.maxFilterRatio;
    }

    private void commitLocked(Txn txn, boolean publishLater) {
        txn.finishedAt = now();
        if (publishLater) {
            txn.state = TxnState.COMMITTED;
            txn.publishAt = now() + publishDelayMs;
        } else {
            publish(txn);
        }
    }

    private void publish(Txn txn) {
        TestTable table = tables.get(key(txn.db, txn.table));
        if (table != null) {
            table.append(txn.staged, txn.loaded);
        }
        txn.staged.clear();
        txn.state = TxnState.VISIBLE;
    }

    private void abort(Txn txn, String reason) {
        synchronized (lock) {
            abortLocked(txn, reason);
        }
    }

    private void abortLocked(Txn txn, String reason) {
        if (txn.state == TxnState.PREPARE || txn.state == TxnState.PREPARED) {
            txn.state = TxnState.ABORTED;
            txn.reason = reason;
            txn.finishedAt = now();
            txn.staged.clear();
        }
    }

    private void abortAndDrop(MiniHttpServer.Exchange ex, Txn txn, String reason) throws IOException {
        InputStream body = ex.body();
        byte[] buf = new byte[16 * 1024];
        int n = body.read(buf);
        if (n > 0 && ex.hasBody()) {
            body.read(buf);
        }
        abort(txn, reason);
        record("be", ex, -1);
        ex.drop();
    }

    private void hangAndDrop(MiniHttpServer.Exchange ex, Txn txn) {
        if (txn != null) {
            abort(txn, "load timed out");
        }
        record("be", ex, -1);
        try {
            Thread.sleep(hangMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ex.drop();
    }

    /** Applies timeouts, publishes delayed commits, forgets expired labels. Call with the lock held. */
    private void tick() {
        long now = now();
        for (Txn t : new ArrayList<>(txns.values())) {
            if (t.state == TxnState.PREPARE && now - t.createdAt > t.timeoutMs) {
                abortLocked(t, "timeout by txn manager");
            } else if (t.state == TxnState.PREPARED && t.preparedTimeoutMs > 0 && now - t.preparedAt > t.preparedTimeoutMs) {
                abortLocked(t, "prepared transaction timeout");
            } else if (t.state == TxnState.COMMITTED && now >= t.publishAt) {
                publish(t);
            }
            if (finished(t) && now - t.finishedAt > labelKeepMs) {
                forget(t);
            }
        }
        for (Map<String, Txn> byLabel : labels.values()) {
            if (byLabel.size() <= labelKeepMaxNum) {
                continue;
            }
            List<Txn> done = byLabel.values().stream().filter(StreamLoadTestServer::finished)
                    .sorted(java.util.Comparator.comparingLong((Txn t) -> t.finishedAt).thenComparingLong(t -> t.id))
                    .toList();
            for (int i = 0; i < done.size() - labelKeepMaxNum; i++) {
                forget(done.get(i));
            }
        }
    }

    private static boolean finished(Txn t) {
        return t.state == TxnState.VISIBLE || t.state == TxnState.ABORTED;
    }

    private void forget(Txn t) {
        txns.remove(t.id);
        Map<String, Txn> byLabel = labels.get(t.db);
        if (byLabel != null && byLabel.get(t.label) == t) {
            byLabel.remove(t.label);
        }
    }

    /**
     * {@code ExistingJobStatus} of a used label: FINISHED once committed, RUNNING before; a Doris transaction
     * pre-committed by {@code two_phase_commit} is PRECOMMITTED (Doris' {@code LabelAlreadyUsedException}), which
     * its Flink connector tells apart from RUNNING to abort the transaction left behind by a failed writer.
     */
    private String existingJobStatus(Txn t) {
        if (t.state == TxnState.COMMITTED || t.state == TxnState.VISIBLE) {
            return "FINISHED";
        }
        return t.state == TxnState.PREPARED && flavor == Flavor.DORIS ? "PRECOMMITTED" : "RUNNING";
    }

    /**
     * The message of {@code Label Already Exists}. Doris names the label's transaction, as its documentation shows:
     * {@code errCode = 2, detailMessage = Label [x] has already been used, relate to txn [123]}; its Flink connector
     * reads the transaction id from it to abort a pre-committed transaction (it has no other way to learn it).
     */
    private String labelUsedMessage(Txn t) {
        return flavor == Flavor.DORIS
                ? "errCode = 2, detailMessage = Label [" + t.label + "] has already been used, relate to txn [" + t.id + "]"
                : "Label [" + t.label + "] has already been used.";
    }

    private String stateName(TxnState s) {
        return s == TxnState.PREPARED && flavor == Flavor.DORIS ? "PRECOMMITTED" : s.name();
    }

    private static LabelState toLabelState(TxnState s) {
        switch (s) {
            case PREPARE: return LabelState.PREPARE;
            case PREPARED: return LabelState.PREPARED;
            case COMMITTED: return LabelState.COMMITTED;
            case VISIBLE: return LabelState.VISIBLE;
            default: return LabelState.ABORTED;
        }
    }

    // ---------------------------------------------------------------- answers

    private String loadResult(Txn txn, String label, String status, String message, String errorUrl, long ms) {
        ObjectNode n = JSON.createObjectNode();
        n.put("TxnId", txn == null ? -1 : txn.id).put("Label", label);
        if (flavor == Flavor.DORIS) {
            n.put("Comment", "").put("TwoPhaseCommit", String.valueOf(txn != null && txn.twoPhase));
        }
        n.put("Status", status).put("Message", message);
        n.put("NumberTotalRows", txn == null ? 0 : txn.total).put("NumberLoadedRows", txn == null ? 0 : txn.loaded)
                .put("NumberFilteredRows", txn == null ? 0 : txn.filtered)
                .put("NumberUnselectedRows", txn == null ? 0 : txn.unselected)
                .put("LoadBytes", txn == null ? 0 : txn.bytes).put("LoadTimeMs", ms).put("BeginTxnTimeMs", 0)
                .put("StreamLoadPlanTimeMs", 0).put("ReadDataTimeMs", ms).put("WriteDataTimeMs", 0)
                .put("CommitAndPublishTimeMs", 0);
        if (errorUrl != null) {
            n.put("ErrorURL", errorUrl);
        }
        return n.toString();
    }

    private static void zeroCounters(ObjectNode n) {
        n.put("NumberTotalRows", 0).put("NumberLoadedRows", 0).put("NumberFilteredRows", 0)
                .put("NumberUnselectedRows", 0).put("LoadBytes", 0).put("LoadTimeMs", 0);
    }

    private static String txnResult(String status, String message, String label) {
        ObjectNode n = JSON.createObjectNode();
        if (label != null) {
            n.put("Label", label);
        }
        n.put("Status", status).put("Message", message);
        return n.toString();
    }

    private static String txnResult(Txn txn, String status, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("TxnId", txn.id).put("Label", txn.label).put("Status", status).put("Message", message);
        return n.toString();
    }

    private static String txnCounters(Txn txn, String status, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("TxnId", txn.id).put("Label", txn.label).put("Status", status).put("Message", message)
                .put("NumberTotalRows", txn.total).put("NumberLoadedRows", txn.loaded)
                .put("NumberFilteredRows", txn.filtered).put("NumberUnselectedRows", txn.unselected)
                .put("LoadBytes", txn.bytes).put("LoadTimeMs", txn.loadMs).put("StreamLoadPutTimeMs", 0)
                .put("ReceivedDataTimeMs", txn.loadMs).put("WriteDataTimeMs", 0).put("CommitAndPublishTimeMs", 0);
        return n.toString();
    }

    private static String status2pc(String status, String msg) {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", status).put("msg", msg);
        return n.toString();
    }

    private static String failedRest(String msg) {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", "FAILED").put("code", "1").put("msg", msg).put("message", msg);
        return n.toString();
    }

    private String unknownTable(String db, String table) {
        return flavor == Flavor.DORIS
                ? "[ANALYSIS_ERROR]TStatus: errCode = 2, detailMessage = Unknown table '" + table + "' in " + db
                : "unknown table, table=" + db + "." + table;
    }

    private String versionPressureMessage() {
        long tablet = 10000 + (nextTxnId.get() % 1000);
        return flavor == Flavor.DORIS
                ? "[TOO_MANY_VERSION]failed to init rowset builder. version count: 2001, exceed limit: 2000, tablet: "
                  + tablet + ". Please reduce the frequency of loading data or adjust the max_tablet_version_num or "
                  + "time_series_max_tablet_version_num in be.conf to a larger value."
                : "Too many versions. tablet_id: " + tablet + ", version_count: 1001, limit: 1000, replica_state: 0";
    }

    private static String notFound(MiniHttpServer.Exchange ex) {
        return "{\"status\":\"FAILED\",\"msg\":\"no handler for " + ex.method + " " + ex.path.replace("\"", "") + "\"}";
    }

    /** Records the request, then answers (so a test that got the answer sees the record). */
    private void reply(String endpoint, MiniHttpServer.Exchange ex, int status, String json) throws IOException {
        record(endpoint, ex, status);
        ex.respondJson(status, json);
    }

    private void record(String endpoint, MiniHttpServer.Exchange ex, int status) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(ex.headers);
        requests.add(new RecordedRequest(endpoint, ex.method, ex.target, Collections.unmodifiableMap(h),
                ex.continueSent(), ex.bodyBytesRead(), status, ex.connection));
        if (requests.size() > 20_000) {
            requests.remove(0);
        }
    }

    private boolean authorized(MiniHttpServer.Exchange ex) {
        String a = ex.header("Authorization");
        return a != null && a.trim().equals(basic(user, password));
    }

    private void unauthorized(String endpoint, MiniHttpServer.Exchange ex) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json; charset=utf-8");
        h.put("WWW-Authenticate", "Basic realm=\"\"");
        record(endpoint, ex, 401);
        ex.respond(401, h, failedRest("Access denied for user '" + requestUser(ex) + "'. Please check your username and password.")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String requestUser(MiniHttpServer.Exchange ex) {
        String a = ex.header("Authorization");
        if (a == null || !a.startsWith("Basic ")) {
            return "";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(a.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static String key(String db, String table) {
        return db + "." + table;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static long seconds(String header, long dflt) {
        if (blank(header)) {
            return dflt;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static double ratio(String header) {
        if (blank(header)) {
            return 0;
        }
        try {
            return Double.parseDouble(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Builds a {@link StreamLoadTestServer}. */
    public static final class Builder {
        private final Flavor flavor;
        private String user = "root";
        private String password = "secret";
        private int feCount = 1;
        private Duration labelKeep;
        private int labelKeepMaxNum;
        private Duration preparedTimeout = Duration.ofSeconds(86_400);
        private Duration hangTime = Duration.ofSeconds(5);
        private Duration publishDelay = Duration.ofMillis(500);
        private javax.net.ssl.SSLContext tls;

        private Builder(Flavor flavor) {
            this.flavor = flavor;
        }

        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public Builder frontends(int count) {
            this.feCount = count;
            return this;
        }

        /** How long finished labels are remembered ({@code label_keep_max_second}; Doris' 12 hours by default). */
        public Builder labelKeep(Duration d) {
            this.labelKeep = d;
            return this;
        }

        /** How many finished labels a database remembers ({@code label_keep_max_num}; StarRocks' 1000 by default). */
        public Builder labelKeepMaxNum(int n) {
            this.labelKeepMaxNum = n;
            return this;
        }

        /** Default PREPARED → COMMITTED timeout ({@code prepared_transaction_default_timeout_second}). */
        public Builder preparedTimeout(Duration d) {
            this.preparedTimeout = d;
            return this;
        }

        /** How long a {@link Fault#TIMEOUT} keeps the connection silent. */
        public Builder hangTime(Duration d) {
            this.hangTime = d;
            return this;
        }

        public Builder publishDelay(Duration d) {
            this.publishDelay = d;
            return this;
        }

        /** Serve HTTPS (FEs and BE) with this server context. */
        public Builder tls(javax.net.ssl.SSLContext serverContext) {
            this.tls = serverContext;
            return this;
        }

        public StreamLoadTestServer build() {
            try {
                return new StreamLoadTestServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
