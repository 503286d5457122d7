package io.inlet.streamload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Stream Load protocol, as StarRocks/CelerData and Apache Doris document it, and nothing
 * about jobs: it loads what it is given under the label it is given.
 *
 * <ul>
 *   <li>{@link #load}: {@code PUT /api/{db}/{table}/_stream_load} with {@code Expect:
 *       100-continue} and Basic auth; the FE answers {@code 307} with a BE's address and the
 *       client follows it, sending the credentials again, then streams the body in chunks once
 *       the BE has answered {@code 100 Continue} ({@link StreamLoadTransport}: Apache HttpClient 5,
 *       or Inlet's own {@link StreamLoadHttp} with {@code -Dinlet.streamload.http=builtin}).</li>
 *   <li>FE failover: when an FE cannot be connected to, the next {@code load-url} is tried; the
 *       last FE that answered is used first next time.</li>
 *   <li>StarRocks' transaction interface ({@link #begin}, {@link #transactionLoad},
 *       {@link #prepare}, {@link #commit}, {@link #rollback}) and Doris' two-phase commit
 *       ({@link #loadTwoPhase}, {@link #twoPhaseCommit}, {@link #twoPhaseAbort}), and the same for
 *       either flavor: {@link #loadPrepared}, {@link #commitPrepared}, {@link #abortPrepared}.</li>
 *   <li>{@link #loadState}: {@code GET /api/{db}/get_load_state?label=}.</li>
 * </ul>
 *
 * <p>Answers come back as {@link StreamLoadResponse}s, classified by
 * {@link StreamLoadResponse#outcome()}; requests that got no usable answer throw
 * {@link StreamLoadException}. The client does not retry loads: retrying is the caller's
 * decision, and is safe under the same label. Thread-safe.
 */
public final class StreamLoadClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamLoadClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 4;
    private static final int MAX_BODY_IN_MESSAGE = 400;

    private final StreamLoadConfig config;
    private final StreamLoadTransport http;
    private final String authorization;
    private final AtomicInteger preferredFe = new AtomicInteger();

    /** A client over the HTTP implementation that {@code -Dinlet.streamload.http} chooses (Apache HttpClient 5 by default). */
    public StreamLoadClient(StreamLoadConfig config) {
        this(config, StreamLoadTransport.Implementation.fromSystemProperty());
    }

    StreamLoadClient(StreamLoadConfig config, StreamLoadTransport.Implementation implementation) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = StreamLoadTransport.create(implementation, config);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (config.user() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
    }

    public StreamLoadConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ Stream Load

    /**
     * One Stream Load: the body is loaded and committed as one transaction under {@code label}.
     * {@code headers} add to (and override) the configuration's default headers.
     */
    public StreamLoadResponse load(String label, Map<String, String> headers, StreamLoadBody body)
            throws StreamLoadException {
        requireLabel(label);
        Objects.requireNonNull(body, "body");
        Map<String, String> h = dataHeaders(headers);
        h.put(StreamLoadHeaders.LABEL, label);
        return call("stream load", "PUT", tablePath("_stream_load"), h, body, label);
    }

    // ------------------------------------------------------------------ StarRocks transaction interface

    /**
     * {@code POST /api/transaction/begin}. {@code headers} may carry {@code timeout} (seconds
     * from PREPARE to PREPARED) and {@code idle_transaction_timeout}; without {@code timeout},
     * the configuration's {@code timeout} header is used if it has one.
     */
    public StreamLoadResponse begin(String label, Map<String, String> headers) throws StreamLoadException {
        requireFlavor(Flavor.STARROCKS, "the transaction interface");
        requireLabel(label);
        Map<String, String> h = controlHeaders(headers);
        String timeout = config.headers().get(StreamLoadHeaders.TIMEOUT);
        if (timeout != null) {
            h.putIfAbsent(StreamLoadHeaders.TIMEOUT, timeout);
        }
        txnHeaders(h, label, true);
        return call("begin", "POST", "/api/transaction/begin", h, null, label);
    }

    /** {@code PUT /api/transaction/load}: one more part of the transaction's data (same headers every time). */
    public StreamLoadResponse transactionLoad(String label, Map<String, String> headers, StreamLoadBody body)
            throws StreamLoadException {
        requireFlavor(Flavor.STARROCKS, "the transaction interface");
        requireLabel(label);
        Objects.requireNonNull(body, "body");
        Map<String, String> h = dataHeaders(headers);
        txnHeaders(h, label, true);
        return call("load", "PUT", "/api/transaction/load", h, body, label);
    }

    /** {@code POST /api/transaction/prepare}; {@code headers} may carry {@code prepared_timeout}. */
    public StreamLoadResponse prepare(String label, Map<String, String> headers) throws StreamLoadException {
        requireFlavor(Flavor.STARROCKS, "the transaction interface");
        requireLabel(label);
        Map<String, String> h = controlHeaders(headers);
        txnHeaders(h, label, true);
        return call("prepare", "POST", "/api/transaction/prepare", h, null, label);
    }

    /** {@code POST /api/transaction/commit}. */
    public StreamLoadResponse commit(String label) throws StreamLoadException {
        requireFlavor(Flavor.STARROCKS, "the transaction interface");
        requireLabel(label);
        Map<String, String> h = new LinkedHashMap<>();
        txnHeaders(h, label, true);
        return call("commit", "POST", "/api/transaction/commit", h, null, label);
    }

    /** {@code POST /api/transaction/rollback}. */
    public StreamLoadResponse rollback(String label) throws StreamLoadException {
        requireFlavor(Flavor.STARROCKS, "the transaction interface");
        requireLabel(label);
        Map<String, String> h = new LinkedHashMap<>();
        txnHeaders(h, label, true);
        return call("rollback", "POST", "/api/transaction/rollback", h, null, label);
    }

    // ------------------------------------------------------------------ Doris two-phase commit

    /** A Stream Load with {@code two_phase_commit: true}: on success the data is pre-committed, not visible. */
    public StreamLoadResponse loadTwoPhase(String label, Map<String, String> headers, StreamLoadBody body)
            throws StreamLoadException {
        requireFlavor(Flavor.DORIS, "two_phase_commit");
        requireLabel(label);
        Objects.requireNonNull(body, "body");
        Map<String, String> h = dataHeaders(headers);
        h.put(StreamLoadHeaders.TWO_PHASE_COMMIT, "true");
        h.put(StreamLoadHeaders.LABEL, label);
        return call("stream load", "PUT", tablePath("_stream_load"), h, body, label);
    }

    /** {@code PUT /api/{db}/_stream_load_2pc} with {@code txn_operation: commit}, by txn id when known (> 0), else by label. */
    public StreamLoadResponse twoPhaseCommit(String label, long txnId) throws StreamLoadException {
        return twoPhase("commit", label, txnId);
    }

    /** {@code PUT /api/{db}/_stream_load_2pc} with {@code txn_operation: abort}. */
    public StreamLoadResponse twoPhaseAbort(String label, long txnId) throws StreamLoadException {
        return twoPhase("abort", label, txnId);
    }

    private StreamLoadResponse twoPhase(String operation, String label, long txnId) throws StreamLoadException {
        requireFlavor(Flavor.DORIS, "_stream_load_2pc");
        requireLabel(label);
        Map<String, String> h = new LinkedHashMap<>();
        if (txnId > 0) {
            h.put(StreamLoadHeaders.TXN_ID, Long.toString(txnId));
        } else {
            h.put(StreamLoadHeaders.LABEL, label);
        }
        h.put(StreamLoadHeaders.TXN_OPERATION, operation);
        return call("2pc " + operation, "PUT", "/api/" + segment(config.database()) + "/_stream_load_2pc", h,
                null, label);
    }

    // ------------------------------------------------------------------ either flavor

    /**
     * Loads a batch as a prepared (pre-committed) transaction that a later {@link #commitPrepared}
     * makes visible or {@link #abortPrepared} discards: StarRocks begin + load + prepare, Doris a
     * two-phase Stream Load. Returns the answer that decides: on success the counters of the load
     * and the transaction id; a {@code Label Already Exists} answer as it came (nothing was
     * loaded); a failure after the transaction began is rolled back before returning. A transaction
     * aborted under it while it loads (another client rolled the label back, or it timed out)
     * throws a retryable {@link StreamLoadException}: loading again begins a new one.
     */
    public StreamLoadResponse loadPrepared(String label, Map<String, String> headers, StreamLoadBody body)
            throws StreamLoadException {
        if (config.flavor() == Flavor.DORIS) {
            return loadTwoPhase(label, headers, body);
        }
        Map<String, String> beginHeaders = new LinkedHashMap<>();
        Map<String, String> prepareHeaders = new LinkedHashMap<>();
        if (headers != null) {
            copyIfPresent(headers, beginHeaders, StreamLoadHeaders.TIMEOUT);
            copyIfPresent(headers, beginHeaders, StreamLoadHeaders.IDLE_TRANSACTION_TIMEOUT);
            copyIfPresent(headers, prepareHeaders, StreamLoadHeaders.PREPARED_TIMEOUT);
        }
        Map<String, String> loadHeaders = new LinkedHashMap<>(headers == null ? Map.of() : headers);
        loadHeaders.remove(StreamLoadHeaders.IDLE_TRANSACTION_TIMEOUT);
        loadHeaders.remove(StreamLoadHeaders.PREPARED_TIMEOUT);

        StreamLoadResponse begun = begin(label, beginHeaders);
        if (begun.outcome() != StreamLoadResponse.Outcome.SUCCESS) {
            return begun;
        }
        StreamLoadResponse loaded;
        try {
            loaded = transactionLoad(label, loadHeaders, body);
        } catch (StreamLoadException e) {
            rollbackQuietly(label);
            throw e;
        }
        if (loaded.outcome() != StreamLoadResponse.Outcome.SUCCESS) {
            rollbackQuietly(label);
            failIfTransactionGone(loaded);
            return loaded;
        }
        StreamLoadResponse prepared;
        try {
            prepared = prepare(label, prepareHeaders);
        } catch (StreamLoadException e) {
            rollbackQuietly(label);
            throw e;
        }
        if (prepared.outcome() != StreamLoadResponse.Outcome.SUCCESS) {
            // The answer may be wrong about the state (an FE restart, a retried request): the label decides.
            LabelState state = loadStateQuietly(label);
            if (state != LabelState.PREPARED) {
                rollbackQuietly(label);
                failIfTransactionGone(prepared);
                return prepared;
            }
        }
        return mergePrepared(prepared, loaded, begun.txnId());
    }

    /**
     * Commits a prepared transaction and returns its state, {@link LabelState#COMMITTED} or
     * {@link LabelState#VISIBLE}. A commit that fails or gets no answer is checked against the
     * label's state (a transaction committed by an earlier, lost request is success). Throws a
     * {@link StreamLoadException} when the label is not committed: retryable while the
     * transaction is still pending, not retryable when it is aborted or unknown (load the batch
     * again).
     *
     * @param txnId the transaction id if known (Doris commits by id when it has one), else -1
     */
    public LabelState commitPrepared(String label, long txnId) throws StreamLoadException {
        StreamLoadResponse r;
        try {
            r = config.flavor() == Flavor.DORIS ? twoPhaseCommit(label, txnId) : commit(label);
        } catch (StreamLoadException e) {
            LabelState state = loadStateQuietly(label);
            if (state != null && state.isCommitted()) {
                return state;
            }
            throw e;
        }
        StreamLoadResponse.Outcome o = r.outcome();
        if (o == StreamLoadResponse.Outcome.SUCCESS) {
            return LabelState.VISIBLE;
        }
        if (o == StreamLoadResponse.Outcome.PUBLISH_TIMEOUT) {
            return LabelState.COMMITTED;
        }
        LabelState state = loadState(label);
        if (state.isCommitted()) {
            return state;
        }
        throw new StreamLoadException(r.describeFailure() + "; label state is " + state, r.endpoint(), label,
                r.httpStatus(), state.isPending(), false, r);
    }

    /**
     * Discards a pending transaction. Returns the label's state afterwards: {@link LabelState#ABORTED}
     * or {@link LabelState#UNKNOWN} when nothing of it is left pending, or
     * {@link LabelState#COMMITTED}/{@link LabelState#VISIBLE} when the transaction had already
     * been committed, in which case nothing is aborted and the batch counts as loaded (a recovery
     * that finds its label visible skips the batch instead of failing on it). Throws when the
     * transaction stays pending.
     */
    public LabelState abortPrepared(String label, long txnId) throws StreamLoadException {
        LabelState before = loadState(label);
        if (!before.isPending()) {
            return before;
        }
        StreamLoadResponse r;
        try {
            r = config.flavor() == Flavor.DORIS ? twoPhaseAbort(label, txnId) : rollback(label);
        } catch (StreamLoadException e) {
            LabelState state = loadStateQuietly(label);
            if (state != null && !state.isPending()) {
                return state;
            }
            throw e;
        }
        if (r.outcome() == StreamLoadResponse.Outcome.SUCCESS) {
            return LabelState.ABORTED;
        }
        LabelState after = loadState(label);
        if (!after.isPending()) {
            return after;
        }
        throw new StreamLoadException(r.describeFailure() + "; label state is " + after, r.endpoint(), label,
                r.httpStatus(), true, false, r);
    }

    /** {@code GET /api/{db}/get_load_state?label=}: the state of the label's transaction. */
    public LabelState loadState(String label) throws StreamLoadException {
        requireLabel(label);
        String path = "/api/" + segment(config.database()) + "/get_load_state?label="
                + URLEncoder.encode(label, StandardCharsets.UTF_8);
        Raw raw = exchange("get_load_state", "GET", path, Map.of(), null, label);
        failOnHttpError("get_load_state", raw, label);
        JsonNode root;
        try {
            root = JSON.readTree(raw.body);
        } catch (IOException e) {
            throw new StreamLoadException("get_load_state of label " + label + " at " + raw.endpoint
                    + " answered HTTP " + raw.status + " without JSON: " + abbreviate(raw.body), raw.endpoint, label,
                    raw.status, raw.status >= 500, false, null);
        }
        String state = null;
        String status = null;
        String msg = null;
        Integer code = null;
        for (var it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            String k = e.getKey().toLowerCase(Locale.ROOT);
            JsonNode v = e.getValue();
            if (k.equals("state") && v.isTextual()) {
                state = v.asText();
            } else if (k.equals("data") && v.isTextual() && state == null) {
                state = v.asText();
            } else if (k.equals("status") && v.isValueNode()) {
                status = v.asText();
            } else if ((k.equals("msg") || k.equals("message")) && v.isValueNode() && msg == null) {
                msg = v.asText();
            } else if (k.equals("code") && v.isValueNode()) {
                try {
                    code = Integer.parseInt(v.asText().trim());
                } catch (NumberFormatException ignored) {
                    // not numeric: ignore
                }
            }
        }
        boolean failed = (status != null && (status.equalsIgnoreCase("FAILED") || status.equalsIgnoreCase("Fail")))
                || (code != null && code != 0);
        if (failed || state == null) {
            throw new StreamLoadException("get_load_state of label " + label + " at " + raw.endpoint + " failed: "
                    + (msg != null ? msg : abbreviate(raw.body)), raw.endpoint, label, raw.status, !failed, false, null);
        }
        return LabelState.parse(state);
    }

    /**
     * {@code GET /api/{db}/{table}/_schema} (the FE's REST API that the Spark and Flink connectors
     * read): the table's columns in table order. Answers StarRocks' shape ({@code {"status":200,
     * "properties":[...]}}) and Doris' ({@code {"code":0,"data":{"properties":[...]}}}); a table
     * that does not exist throws with {@link StreamLoadException#httpStatus()} 404.
     */
    public List<SchemaColumn> schema() throws StreamLoadException {
        Raw raw = exchange("_schema", "GET", tablePath("_schema"), Map.of(), null, null);
        JsonNode root = null;
        try {
            root = JSON.readTree(raw.body);
        } catch (IOException e) {
            // not JSON: reported below
        }
        JsonNode data = root == null ? null : root.has("data") && root.get("data").isObject() ? root.get("data") : root;
        JsonNode props = data == null ? null : data.get("properties");
        if (raw.status == 404 || (props == null && root != null && looksMissing(root))) {
            throw new StreamLoadException("table " + config.database() + "." + config.table() + " does not exist at "
                    + raw.endpoint + ": " + abbreviate(raw.body), raw.endpoint, null, 404, false, false, null);
        }
        failOnHttpError("_schema", raw, null);
        if (props == null || !props.isArray()) {
            throw new StreamLoadException("_schema of " + config.database() + "." + config.table() + " at "
                    + raw.endpoint + " answered without properties: " + abbreviate(raw.body), raw.endpoint, null,
                    raw.status, raw.status >= 500, false, null);
        }
        List<SchemaColumn> out = new ArrayList<>();
        for (JsonNode c : props) {
            out.add(new SchemaColumn(c.path("name").asText(), c.path("type").asText(),
                    c.path("precision").asInt(0), c.path("scale").asInt(0),
                    !c.has("is_nullable") || c.path("is_nullable").asText("Yes").equalsIgnoreCase("Yes")));
        }
        return out;
    }

    /** A column as {@code _schema} describes it: a type name without arguments, and DECIMAL's precision and scale. */
    public record SchemaColumn(String name, String type, int precision, int scale, boolean nullable) {}

    private static boolean looksMissing(JsonNode root) {
        String text = (root.path("msg").asText("") + " " + root.path("message").asText("") + " "
                + root.path("data").asText("")).toLowerCase(Locale.ROOT);
        return text.contains("not found") || text.contains("does not exist") || text.contains("unknown table");
    }

    /**
     * Polls {@link #loadState} until the label is no longer {@link LabelState#PREPARE} (a load
     * under it is still running: {@code Label Already Exists} with {@code RUNNING}) or the
     * timeout passes; returns the last state seen.
     */
    public LabelState awaitSettled(String label, Duration timeout) throws StreamLoadException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 100;
        while (true) {
            LabelState s = loadState(label);
            if (s != LabelState.PREPARE || System.nanoTime() >= deadline) {
                return s;
            }
            try {
                Thread.sleep(Math.min(sleep, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return s;
            }
            sleep = Math.min(sleep * 2, 2000);
        }
    }

    /**
     * Nothing to release: connections are pooled per process (idle ones close by themselves), so a
     * client that is never closed leaks nothing.
     */
    @Override
    public void close() {
        // the pools are shared
    }

    // ------------------------------------------------------------------ internals

    private StreamLoadResponse mergePrepared(StreamLoadResponse prepared, StreamLoadResponse loaded, long beginTxnId) {
        boolean useLoadCounts = prepared.numberTotalRows() == 0 && loaded.numberTotalRows() > 0;
        StreamLoadResponse counts = useLoadCounts ? loaded : prepared;
        long txnId = prepared.txnId() > 0 ? prepared.txnId() : loaded.txnId() > 0 ? loaded.txnId() : beginTxnId;
        boolean ok = prepared.outcome() == StreamLoadResponse.Outcome.SUCCESS;
        return new StreamLoadResponse("prepare", prepared.endpoint(), prepared.httpStatus(), txnId,
                prepared.label(), ok ? prepared.status() : "OK",
                ok ? prepared.message() : "prepared (confirmed by get_load_state after: " + prepared.message() + ")",
                null, counts.numberTotalRows(), counts.numberLoadedRows(), counts.numberFilteredRows(),
                counts.numberUnselectedRows(), Math.max(prepared.loadBytes(), loaded.loadBytes()),
                prepared.loadTimeMs() + (useLoadCounts ? loaded.loadTimeMs() : 0),
                prepared.errorUrl() != null ? prepared.errorUrl() : loaded.errorUrl(), true, prepared.body());
    }

    private static void failIfTransactionGone(StreamLoadResponse r) throws StreamLoadException {
        if (r.transactionGone()) {
            throw new StreamLoadException(r.describeFailure() + "; the transaction was aborted while it loaded:"
                    + " loading again begins a new one", r.endpoint(), r.label(), r.httpStatus(), true, false, r);
        }
    }

    private void rollbackQuietly(String label) {
        try {
            StreamLoadResponse r = rollback(label);
            if (r.outcome() != StreamLoadResponse.Outcome.SUCCESS) {
                LOG.debug("rollback of label {} answered {}", label, r);
            }
        } catch (StreamLoadException e) {
            LOG.warn("rollback of label {} failed; its state will decide on recovery: {}", label, e.getMessage());
        }
    }

    private LabelState loadStateQuietly(String label) {
        try {
            return loadState(label);
        } catch (StreamLoadException e) {
            LOG.warn("cannot read the state of label {}: {}", label, e.getMessage());
            return null;
        }
    }

    private static void copyIfPresent(Map<String, String> from, Map<String, String> to, String key) {
        String v = from.get(key);
        if (v != null) {
            to.put(key, v);
        }
    }

    private Map<String, String> dataHeaders(Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(config.headers());
        if (headers != null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                StreamLoadHeaders.checkSettable(e.getKey());
                if (e.getValue() == null) {
                    h.remove(e.getKey());
                } else {
                    h.put(e.getKey(), e.getValue());
                }
            }
        }
        return h;
    }

    private static Map<String, String> controlHeaders(Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>();
        if (headers != null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                StreamLoadHeaders.checkSettable(e.getKey());
                if (e.getValue() != null) {
                    h.put(e.getKey(), e.getValue());
                }
            }
        }
        return h;
    }

    private void txnHeaders(Map<String, String> h, String label, boolean withTable) {
        h.put(StreamLoadHeaders.LABEL, label);
        h.put(StreamLoadHeaders.DB, config.database());
        if (withTable) {
            h.put(StreamLoadHeaders.TABLE, config.table());
        }
    }

    private String tablePath(String action) {
        return "/api/" + segment(config.database()) + "/" + segment(config.table()) + "/" + action;
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireLabel(String label) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a label is required");
        }
    }

    private void requireFlavor(Flavor flavor, String what) {
        if (config.flavor() != flavor) {
            throw new IllegalStateException(what + " is a " + flavor + " API; this client speaks to " + config.flavor());
        }
    }

    private StreamLoadResponse call(String operation, String method, String path, Map<String, String> headers,
                                    StreamLoadBody body, String label) throws StreamLoadException {
        Raw raw = exchange(operation, method, path, headers, body, label);
        failOnHttpError(operation, raw, label);
        StreamLoadResponse r;
        try {
            r = StreamLoadResponse.parse(operation, raw.endpoint, raw.status, raw.body, label);
        } catch (IOException e) {
            boolean mutating = !"GET".equals(method);
            throw new StreamLoadException(operation + " of label " + label + " at " + raw.endpoint
                    + " answered HTTP " + raw.status + " without a Stream Load result: " + abbreviate(raw.body),
                    raw.endpoint, label, raw.status, raw.status >= 500 || raw.status == 200, mutating, null, e);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}", r);
        }
        return r;
    }

    private void failOnHttpError(String operation, Raw raw, String label) throws StreamLoadException {
        int s = raw.status;
        if (s == 401 || s == 403) {
            throw new StreamLoadException(operation + " of label " + label + " at " + raw.endpoint
                    + ": access denied for user '" + config.user() + "' (HTTP " + s + ")"
                    + (raw.body.isBlank() ? "" : ": " + abbreviate(raw.body)), raw.endpoint, label, s, false, false, null);
        }
        if (s == 404 || s == 405) {
            throw new StreamLoadException(operation + " of label " + label + " at " + raw.endpoint
                    + ": HTTP " + s + " (does this " + config.flavor() + " FE offer this API?)"
                    + (raw.body.isBlank() ? "" : ": " + abbreviate(raw.body)), raw.endpoint, label, s, false, false, null);
        }
        if (s >= 500 && !looksLikeJson(raw.body)) {
            throw new StreamLoadException(operation + " of label " + label + " at " + raw.endpoint
                    + " failed with HTTP " + s + (raw.body.isBlank() ? "" : ": " + abbreviate(raw.body)),
                    raw.endpoint, label, s, true, !"GET".equals(raw.method) && !"get_load_state".equals(operation), null);
        }
    }

    private static boolean looksLikeJson(String body) {
        String b = body.strip();
        return b.startsWith("{") && b.endsWith("}");
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
        return t.length() <= MAX_BODY_IN_MESSAGE ? t : t.substring(0, MAX_BODY_IN_MESSAGE) + "…";
    }

    /** An HTTP answer: who gave it, its status and body. */
    private record Raw(String method, URI endpoint, int status, String body) {}

    /**
     * Sends a request to the FEs in turn until one can be connected to, following its redirects.
     * An FE that refuses the connection (or the TLS handshake) is skipped for the next one; an FE
     * that drops the connection before any of the body was sent (restarting, overloaded) is tried
     * once more first. Either is safe: an FE only redirects, and a body never sent loaded nothing.
     */
    private Raw exchange(String operation, String method, String pathAndQuery, Map<String, String> headers,
                         StreamLoadBody body, String label) throws StreamLoadException {
        List<URI> fes = config.loadUrls();
        int n = fes.size();
        int start = Math.floorMod(preferredFe.get(), n);
        List<String> unreachable = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int idx = (start + i) % n;
            URI fe = fes.get(idx);
            URI target = URI.create(stripTrailingSlash(fe.toString()) + pathAndQuery);
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    Raw raw = followRedirects(operation, method, target, headers, body, label);
                    if (idx != start) {
                        LOG.info("{} of label {}: FE {} answered after {} could not be reached", operation, label,
                                fe, unreachable);
                    }
                    preferredFe.set(idx);
                    return raw;
                } catch (Unreachable e) {
                    LOG.warn("{} of label {}: FE {} failed before the request took effect: {}", operation, label,
                            fe, e.reason);
                    if (!e.worthRetrying || attempt == 1) {
                        unreachable.add(fe + " (" + e.reason + ")");
                        break;
                    }
                }
            }
        }
        throw new StreamLoadException(operation + " of label " + label + ": no FE could be reached: "
                + String.join(", ", unreachable), null, label, -1, true, false, null);
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Connecting to an FE failed before anything was sent: the next FE may be tried. */
    private static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;
        /** Not a refused connection: a fresh connection to the same FE may work. */
        final boolean worthRetrying;

        Unreachable(String reason, boolean worthRetrying) {
            super(reason, null, false, false);
            this.reason = reason;
            this.worthRetrying = worthRetrying;
        }
    }

    private Raw followRedirects(String operation, String method, URI first, Map<String, String> headers,
                                StreamLoadBody body, String label) throws Unreachable, StreamLoadException {
        URI target = first;
        boolean atFe = true;
        boolean mutating = !"GET".equals(method);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Authorization", authorization);
            h.putAll(headers);
            StreamLoadTransport.Response resp;
            try {
                resp = http.execute(method, target, h, body);
            } catch (StreamLoadTransport.ConnectFailure e) {
                if (atFe) {
                    throw new Unreachable(e.getMessage(), false);
                }
                throw new StreamLoadException(operation + " of label " + label + ": cannot connect to " + target
                        + " (redirected from " + first + "): " + e.getMessage(), target, label, -1, true, false, null, e);
            } catch (StreamLoadTransport.RequestFailure e) {
                // A failure before any body was sent to an FE loaded nothing (an FE only redirects).
                if (atFe && !e.bodySent) {
                    throw new Unreachable(e.getMessage(), !e.timedOut);
                }
                boolean unknown = mutating && (e.bodySent || body == null);
                throw new StreamLoadException(operation + " of label " + label + " at " + target + ": "
                        + (e.timedOut ? "no answer within " + config.requestTimeout().toMillis() + " ms"
                        : "connection failed: " + e.getMessage()), target, label, -1, true, unknown, null, e);
            } catch (IOException e) {
                throw new StreamLoadException(operation + " of label " + label + " at " + target + ": " + StreamLoadTransport.describe(e),
                        target, label, -1, true, mutating, null, e);
            }
            int status = resp.status();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = resp.headers().get("location");
                if (location == null || location.isBlank()) {
                    throw new StreamLoadException(operation + " of label " + label + " at " + target + ": HTTP "
                            + status + " without Location", target, label, status, true, false, null);
                }
                URI next;
                try {
                    next = stripUserInfo(target.resolve(location.trim()));
                } catch (IllegalArgumentException e) {
                    throw new StreamLoadException(operation + " of label " + label + " at " + target
                            + ": invalid redirect Location", target, label, status, false, false, null, e);
                }
                LOG.debug("{} of label {}: {} redirected to {}", operation, label, target, next);
                target = next;
                atFe = false;
                continue;
            }
            return new Raw(method, target, status, resp.body());
        }
        throw new StreamLoadException(operation + " of label " + label + ": more than " + MAX_REDIRECTS
                + " redirects, last to " + target, target, label, -1, false, false, null);
    }

    private static URI stripUserInfo(URI u) {
        if (u.getRawUserInfo() == null) {
            return u;
        }
        try {
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), u.getFragment());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
