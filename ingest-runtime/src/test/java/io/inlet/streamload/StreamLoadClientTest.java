package io.inlet.streamload;

import io.inlet.streamload.testserver.StreamLoadTestServer;
import io.inlet.streamload.testserver.StreamLoadTestServer.Fault;
import io.inlet.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's protocol handling against the Stream Load test server: redirects, 100-continue, failover, faults. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamLoadClientTest {

    private static final String DB = "db1";
    private static final String TABLE = "t1";
    private static final String SECRET = "S3cr3t-Pa55!";

    /** The client under test, here over Inlet's own HTTP ({@code -Dinlet.streamload.http=builtin}). */
    StreamLoadClient client(StreamLoadConfig config) {
        return new StreamLoadClient(config, StreamLoadTransport.Implementation.BUILTIN);
    }

    private static StreamLoadTestServer server(Flavor flavor) {
        StreamLoadTestServer s = StreamLoadTestServer.builder(flavor).credentials("loader", SECRET)
                .hangTime(Duration.ofSeconds(3)).publishDelay(Duration.ofMillis(300)).build();
        s.createTable(DB, TABLE, "id BIGINT NOT NULL", "name VARCHAR(32)", "score BIGINT");
        return s;
    }

    private static Map<String, String> csv(Flavor flavor) {
        return StreamLoadHeaders.builder(flavor).csv(",", "\n").build();
    }

    private static StreamLoadBody rows(long from, int n) {
        StringBuilder sb = new StringBuilder();
        for (long i = from; i < from + n; i++) {
            sb.append(i).append(",n").append(i).append(',').append(i % 100).append('\n');
        }
        return StreamLoadBody.ofString(sb.toString());
    }

    /** Counts how often the body is opened. */
    private static StreamLoadBody counted(StreamLoadBody body, AtomicInteger opens) {
        return () -> {
            opens.incrementAndGet();
            return body.open();
        };
    }

    @Test
    void theBodyGoesOnlyToTheBeAndOnlyAfter100Continue() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            AtomicInteger opens = new AtomicInteger();
            StreamLoadBody body = counted(rows(1, 100), opens);

            assertThat(c.load("l1", csv(Flavor.STARROCKS), body).outcome()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(opens).hasValue(1);
            assertThat(s.feBodyBytesReceived()).isZero();
            var fe = s.requests().stream().filter(r -> r.endpoint().equals("fe0")).findFirst().orElseThrow();
            assertThat(fe.headers().get("Expect")).isEqualToIgnoringCase("100-continue");
            assertThat(fe.headers().get("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
            assertThat(fe.continueSent()).isFalse();
            assertThat(fe.bodyBytes()).isZero();

            // a used label is refused before any of the body is sent
            StreamLoadResponse again = c.load("l1", csv(Flavor.STARROCKS), body);
            assertThat(again.outcome()).isEqualTo(StreamLoadResponse.Outcome.LABEL_ALREADY_LOADED);
            assertThat(opens).hasValue(1);
            var refused = s.requests().get(s.requests().size() - 1);
            assertThat(refused.endpoint()).isEqualTo("be");
            assertThat(refused.continueSent()).isFalse();
            assertThat(refused.bodyBytes()).isZero();
            assertThat(s.feBodyBytesReceived()).isZero();
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(100);
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void credentialsAreSentAgainAfterTheRedirectAndWrongOnesAreRefused(Flavor flavor) throws Exception {
        try (StreamLoadTestServer s = server(flavor)) {
            try (StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
                c.load("ok", csv(flavor), rows(1, 3)).orThrow();
                assertThat(s.requests()).filteredOn(r -> r.endpoint().equals("be"))
                        .allSatisfy(r -> assertThat(r.authorizedAs("loader", SECRET)).isTrue());
            }
            StreamLoadConfig wrong = s.clientConfig(DB, TABLE).password("not-" + SECRET).build();
            try (StreamLoadClient c = client(wrong)) {
                int before = s.requests().size();
                assertThatThrownBy(() -> c.load("bad", csv(flavor), rows(10, 3)))
                        .isInstanceOfSatisfying(StreamLoadException.class, e -> {
                            assertThat(e.httpStatus()).isEqualTo(401);
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.outcomeUnknown()).isFalse();
                            assertThat(e.getMessage()).contains("loader").contains(s.feUrl(0).toString())
                                    .doesNotContain(SECRET);
                        });
                // the FE refused it: the BE never saw the request
                assertThat(s.requests().subList(before, s.requests().size())).extracting(r -> r.endpoint())
                        .containsOnly("fe0");
            }
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(3);
        }
    }

    @Test
    void anUnreachableFeFailsOverToTheNextLoadUrl() throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.builder(Flavor.STARROCKS).frontends(2).build()) {
            s.createTable(DB, TABLE, "id BIGINT NOT NULL", "name VARCHAR(32)", "score BIGINT");
            try (StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
                c.load("a", csv(Flavor.STARROCKS), rows(1, 2)).orThrow();

                s.setFeReachable(0, false);
                StreamLoadResponse r = c.load("b", csv(Flavor.STARROCKS), rows(3, 2));
                assertThat(r.outcome()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
                assertThat(c.loadState("b")).isEqualTo(LabelState.VISIBLE);
                assertThat(s.requests()).anySatisfy(q -> assertThat(q.endpoint()).isEqualTo("fe1"));

                s.setFeReachable(1, false);
                assertThatThrownBy(() -> c.load("c", csv(Flavor.STARROCKS), rows(5, 2)))
                        .isInstanceOfSatisfying(StreamLoadException.class, e -> {
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.outcomeUnknown()).isFalse();
                            assertThat(e.getMessage()).contains("no FE could be reached")
                                    .contains(s.feUrl(0).toString()).contains(s.feUrl(1).toString());
                        });

                s.setFeReachable(0, true);
                c.load("c", csv(Flavor.STARROCKS), rows(5, 2)).orThrow();
                assertThat(s.rowCount(DB, TABLE)).isEqualTo(6);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void a500IsRetryableAndTheRetryLoadsOnce(Flavor flavor) throws Exception {
        try (StreamLoadTestServer s = server(flavor);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            s.inject(Fault.HTTP_500, 1);
            assertThatThrownBy(() -> c.load("x", csv(flavor), rows(1, 5)))
                    .isInstanceOfSatisfying(StreamLoadException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(500);
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.label()).isEqualTo("x");
                        assertThat(e.endpoint()).isEqualTo(URI.create(s.beUrl() + "/api/db1/t1/_stream_load"));
                        assertThat(e.getMessage()).contains("HTTP 500").contains("label x").contains(s.beUrl().toString());
                    });
            assertThat(c.load("x", csv(flavor), rows(1, 5)).outcome()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"TIMEOUT", "DROP_CONNECTION", "DROP_AFTER_COMMIT"})
    void aLoadWithoutAnAnswerIsRetriedUnderItsLabelExactlyOnce(Fault fault) throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE)
                     .requestTimeout(Duration.ofSeconds(1)).build())) {
            s.inject(fault, 1);
            assertThatThrownBy(() -> c.load("y", csv(Flavor.STARROCKS), rows(1, 50)))
                    .isInstanceOfSatisfying(StreamLoadException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.outcomeUnknown()).isTrue();
                        assertThat(e.getMessage()).contains("label y").contains(s.beUrl().toString());
                    });
            StreamLoadResponse retry = c.load("y", csv(Flavor.STARROCKS), rows(1, 50));
            assertThat(retry.isLoaded()).as(retry.toString()).isTrue();
            assertThat(retry.outcome()).isEqualTo(fault == Fault.DROP_AFTER_COMMIT
                    ? StreamLoadResponse.Outcome.LABEL_ALREADY_LOADED : StreamLoadResponse.Outcome.SUCCESS);
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(50);
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aCommitWhoseAnswerIsLostIsRecognisedByItsLabelState(Flavor flavor) throws Exception {
        try (StreamLoadTestServer s = server(flavor);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            StreamLoadResponse p = c.loadPrepared("z", csv(flavor), rows(1, 4));
            assertThat(p.outcome()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            s.injectCommit(Fault.DROP_AFTER_COMMIT, 1);
            assertThat(c.commitPrepared("z", p.txnId()).isCommitted()).isTrue();
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(4);

            StreamLoadResponse q = c.loadPrepared("w", csv(flavor), rows(10, 2));
            s.injectCommit(Fault.HTTP_500, 1);
            assertThatThrownBy(() -> c.commitPrepared("w", q.txnId()))
                    .isInstanceOfSatisfying(StreamLoadException.class, e -> assertThat(e.retryable()).isTrue());
            assertThat(c.loadState("w")).isEqualTo(LabelState.PREPARED);
            assertThat(c.commitPrepared("w", q.txnId()).isCommitted()).isTrue();
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(6);
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void committingAnAbortedTransactionTellsTheCallerToLoadAgain(Flavor flavor) throws Exception {
        try (StreamLoadTestServer s = server(flavor);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            StreamLoadResponse p = c.loadPrepared("gone", csv(flavor), rows(1, 2));
            assertThat(c.abortPrepared("gone", p.txnId())).isEqualTo(LabelState.ABORTED);
            assertThatThrownBy(() -> c.commitPrepared("gone", p.txnId()))
                    .isInstanceOfSatisfying(StreamLoadException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("label state is ABORTED").contains("gone");
                    });
            assertThatThrownBy(() -> c.commitPrepared("never-used", -1))
                    .isInstanceOfSatisfying(StreamLoadException.class, e -> assertThat(e.retryable()).isFalse());
            assertThat(s.rowCount(DB, TABLE)).isZero();
        }
    }

    @Test
    void aTransactionRolledBackByAnotherClientWhileItLoadsIsWorthLoadingAgain() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build());
             StreamLoadClient other = client(s.clientConfig(DB, TABLE).build())) {
            StreamLoadBody rolledBackMidway = () -> {
                try {
                    other.rollback("taken");
                } catch (StreamLoadException e) {
                    throw new java.io.IOException(e);
                }
                return rows(1, 3).open();
            };
            assertThatThrownBy(() -> c.loadPrepared("taken", csv(Flavor.STARROCKS), rolledBackMidway))
                    .isInstanceOfSatisfying(StreamLoadException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).contains("Transcation State Invalid", "loading again");
                    });
            assertThat(s.pendingTransactions(DB)).isEmpty();

            assertThat(c.loadPrepared("taken", csv(Flavor.STARROCKS), rows(1, 3)).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(c.commitPrepared("taken", -1).isCommitted()).isTrue();
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void versionPressureIsClassifiedSoTheCallerCanSlowDown(Flavor flavor) throws Exception {
        try (StreamLoadTestServer s = server(flavor);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            s.inject(Fault.VERSION_PRESSURE, 2);
            StreamLoadResponse r = c.load("v", csv(flavor), rows(1, 3));
            assertThat(r.outcome()).as(r.toString()).isEqualTo(StreamLoadResponse.Outcome.VERSION_PRESSURE);
            assertThat(r.isRetryable()).isTrue();
            assertThat(r.isLoaded()).isFalse();
            assertThatThrownBy(r::orThrow).isInstanceOfSatisfying(StreamLoadException.class,
                    e -> assertThat(e.getMessage()).containsIgnoringCase("version").contains("label v"));

            StreamLoadResponse p = c.loadPrepared("vp", csv(flavor), rows(1, 3));
            assertThat(p.outcome()).as(p.toString()).isEqualTo(StreamLoadResponse.Outcome.VERSION_PRESSURE);
            assertThat(c.loadState("vp")).isIn(LabelState.ABORTED, LabelState.UNKNOWN);
            assertThat(s.pendingTransactions(DB)).isEmpty();

            assertThat(c.load("v", csv(flavor), rows(1, 3)).outcome()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aPublishTimeoutMeansCommittedNotFailed(Flavor flavor) throws Exception {
        try (StreamLoadTestServer s = server(flavor);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            s.inject(Fault.PUBLISH_TIMEOUT, 1);
            StreamLoadResponse r = c.load("pt", csv(flavor), rows(1, 7));
            assertThat(r.status()).isEqualTo("Publish Timeout");
            assertThat(r.outcome()).isEqualTo(StreamLoadResponse.Outcome.PUBLISH_TIMEOUT);
            assertThat(r.isLoaded()).isTrue();
            assertThat(r.isRetryable()).isFalse();
            assertThat(c.loadState("pt")).isEqualTo(LabelState.COMMITTED);
            assertThat(c.load("pt", csv(flavor), rows(1, 7)).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.LABEL_ALREADY_LOADED);
            assertThat(s.rowCount(DB, TABLE)).isZero();
            Await.until(Duration.ofSeconds(30), () -> c.loadState("pt") == LabelState.VISIBLE, () -> "pt published");
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(7);

            StreamLoadResponse p = c.loadPrepared("pt2", csv(flavor), rows(100, 2));
            s.injectCommit(Fault.PUBLISH_TIMEOUT, 1);
            assertThat(c.commitPrepared("pt2", p.txnId())).isIn(LabelState.COMMITTED, LabelState.VISIBLE);
        }
    }

    @Test
    void aStarRocksDatabaseKeepsAtMostLabelKeepMaxNumFinishedLabelsTheOldestForgottenFirst() throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.builder(Flavor.STARROCKS).labelKeepMaxNum(3).build();
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            s.createTable(DB, TABLE, "id BIGINT NOT NULL", "name VARCHAR(32)", "score BIGINT");
            for (int i = 1; i <= 5; i++) {
                c.load("count-" + i, csv(Flavor.STARROCKS), rows(i * 10, 1)).orThrow();
            }
            assertThat(c.loadState("count-1")).isEqualTo(LabelState.UNKNOWN);
            assertThat(c.loadState("count-2")).isEqualTo(LabelState.UNKNOWN);
            assertThat(c.loadState("count-3")).isIn(LabelState.COMMITTED, LabelState.VISIBLE);
            assertThat(c.loadState("count-5")).isIn(LabelState.COMMITTED, LabelState.VISIBLE);
            assertThat(c.load("count-1", csv(Flavor.STARROCKS), rows(10, 1)).outcome())
                    .as("a forgotten label loads again").isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(6);
        }
    }

    @Test
    void aDorisDatabaseKeepsStreamLoadLabelsTwelveHoursByDefault() throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.builder(Flavor.DORIS).build();
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            s.createTable(DB, TABLE, "id BIGINT NOT NULL", "name VARCHAR(32)", "score BIGINT");
            c.load("doris-kept", csv(Flavor.DORIS), rows(1, 1)).orThrow();
            s.advanceClock(Duration.ofHours(11));
            assertThat(c.loadState("doris-kept")).isIn(LabelState.COMMITTED, LabelState.VISIBLE);
            s.advanceClock(Duration.ofHours(1).plusMinutes(1));
            assertThat(c.loadState("doris-kept")).isEqualTo(LabelState.UNKNOWN);
        }
    }

    @Test
    void labelsAreKeptForTheRetentionTimeThenForgotten() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            c.load("kept", csv(Flavor.STARROCKS), rows(1, 1)).orThrow();
            s.advanceClock(Duration.ofDays(2));
            assertThat(c.loadState("kept")).isEqualTo(LabelState.VISIBLE);
            assertThat(c.load("kept", csv(Flavor.STARROCKS), rows(1, 1)).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.LABEL_ALREADY_LOADED);
            s.advanceClock(Duration.ofDays(1).plusMinutes(1));
            assertThat(c.loadState("kept")).isEqualTo(LabelState.UNKNOWN);
            assertThat(c.load("kept", csv(Flavor.STARROCKS), rows(1, 1)).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(2);
        }
    }

    @Test
    void transactionTimeoutsAbortLingeringTransactions() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            c.begin("slow", Map.of("timeout", "30")).orThrow();
            assertThat(c.loadState("slow")).isEqualTo(LabelState.PREPARE);
            s.advanceClock(Duration.ofSeconds(31));
            assertThat(c.loadState("slow")).isEqualTo(LabelState.ABORTED);
            assertThat(c.transactionLoad("slow", csv(Flavor.STARROCKS), rows(1, 1)).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.FAILED);

            Map<String, String> parkedHeaders = new java.util.HashMap<>(csv(Flavor.STARROCKS));
            parkedHeaders.put("prepared_timeout", "60");
            StreamLoadResponse p = c.loadPrepared("parked", parkedHeaders, rows(1, 1));
            assertThat(p.outcome()).as(p.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            s.advanceClock(Duration.ofSeconds(61));
            assertThat(c.loadState("parked")).isEqualTo(LabelState.ABORTED);
        }
        try (StreamLoadTestServer s = StreamLoadTestServer.builder(Flavor.DORIS).preparedTimeout(Duration.ofMinutes(5)).build()) {
            s.createTable(DB, TABLE, "id BIGINT NOT NULL", "name VARCHAR(32)", "score BIGINT");
            try (StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
                c.loadPrepared("parked", csv(Flavor.DORIS), rows(1, 1)).orThrow();
                s.advanceClock(Duration.ofMinutes(6));
                assertThat(c.loadState("parked")).isEqualTo(LabelState.ABORTED);
            }
        }
    }

    @Test
    void aFiftyMegabyteBodyIsStreamedNotBuffered() throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.start(Flavor.STARROCKS)) {
            s.createCountingTable(DB, "big", "id BIGINT NOT NULL", "payload VARCHAR(128)");
            long total = 50L * 1024 * 1024;
            byte[] line = (String.format("%012d", 0) + "," + "x".repeat(86) + "\n").getBytes(StandardCharsets.US_ASCII);
            AtomicLong receivedAt40Mb = new AtomicLong(-1);
            AtomicInteger opens = new AtomicInteger();
            StreamLoadBody body = () -> {
                opens.incrementAndGet();
                return new InputStream() {
                    long produced;
                    long rowNo;
                    int pos = line.length;
                    byte[] cur = line;

                    @Override
                    public int read() {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (produced >= total) {
                            return -1;
                        }
                        if (produced >= 40L * 1024 * 1024 && receivedAt40Mb.get() < 0) {
                            receivedAt40Mb.set(s.beBodyBytesReceived());
                        }
                        int n = 0;
                        while (n < len && produced < total) {
                            if (pos == cur.length) {
                                cur = (String.format("%012d", rowNo++) + "," + "x".repeat(86) + "\n")
                                        .getBytes(StandardCharsets.US_ASCII);
                                pos = 0;
                            }
                            int k = (int) Math.min(Math.min(len - n, cur.length - pos), total - produced);
                            System.arraycopy(cur, pos, b, off + n, k);
                            pos += k;
                            n += k;
                            produced += k;
                        }
                        return n;
                    }
                };
            };
            long heapBefore = usedHeap();
            try (StreamLoadClient c = client(s.clientConfig(DB, "big")
                    .requestTimeout(Duration.ofSeconds(45)).build())) {
                StreamLoadResponse r = c.load("big", StreamLoadHeaders.builder(Flavor.STARROCKS).csv(",", "\n").build(), body);
                assertThat(r.outcome()).as(r.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
                assertThat(r.loadBytes()).isEqualTo(total);
                assertThat(r.numberLoadedRows()).isEqualTo(total / line.length);
            }
            assertThat(opens).hasValue(1);
            // when 40 MB had been produced, the server had already received most of it
            assertThat(receivedAt40Mb.get()).isGreaterThan(24L * 1024 * 1024);
            assertThat(usedHeap() - heapBefore).isLessThan(total);
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void connectionsAreKeptAliveWhereTheExchangeLeavesThemUsable() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.load("keep" + i, csv(Flavor.STARROCKS), rows(i * 10L, 10)).outcome())
                        .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
                assertThat(c.loadState("keep" + i)).isEqualTo(LabelState.VISIBLE);
            }
            List<StreamLoadTestServer.RecordedRequest> requests = s.requests();
            // the BE's loads (answered after the body) share one connection
            assertThat(requests.stream().filter(r -> r.endpoint().equals("be")).map(r -> r.connection()).distinct())
                    .hasSize(1);
            // an FE answers a load with 307 instead of 100 Continue: nothing follows on that connection...
            List<StreamLoadTestServer.RecordedRequest> fe = requests.stream().filter(r -> r.endpoint().equals("fe0")).toList();
            for (int i = 0; i < fe.size(); i++) {
                if (fe.get(i).status() == 307) {
                    long closed = fe.get(i).connection();
                    assertThat(fe.subList(i + 1, fe.size())).noneMatch(r -> r.connection() == closed);
                }
            }
            // ...but a label check, which has no body, leaves its connection to the next request
            assertThat(fe.stream().map(r -> r.connection()).distinct().count()).isEqualTo(4);
            assertThat(fe).hasSize(6);
        }
    }

    @Test
    void aRequestOnAConnectionTheServerClosedWhileIdleGoesOutOnANewOne() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            assertThat(c.loadState("none")).isEqualTo(LabelState.UNKNOWN);
            // the FE restarts: the client's idle connection to it is gone
            s.setFeReachable(0, false);
            s.setFeReachable(0, true);
            assertThat(c.load("after-restart", csv(Flavor.STARROCKS), rows(1, 10)).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(c.loadState("after-restart")).isEqualTo(LabelState.VISIBLE);
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(10);
        }
    }

    @Test
    void aLoadOnAConnectionTheBeClosedWhileIdleGoesOutOnANewOne() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.DORIS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            assertThat(c.load("before-restart", csv(Flavor.DORIS), rows(1, 10)).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            // the BE restarts: the client's idle connection to it is gone, and nothing of the next load was sent on it
            s.restartBackend();
            assertThat(c.load("after-restart", csv(Flavor.DORIS), rows(11, 10)).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(s.rowCount(DB, TABLE)).isEqualTo(20);
        }
    }

    @Test
    void secretsNeverAppearInToStringsOrErrors() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS)) {
            StreamLoadConfig cfg = s.clientConfig(DB, TABLE).build();
            String basic = Base64.getEncoder().encodeToString(("loader:" + SECRET).getBytes(StandardCharsets.UTF_8));
            assertThat(cfg.toString()).doesNotContain(SECRET).doesNotContain(basic).contains("******");
            try (StreamLoadClient c = client(cfg)) {
                StreamLoadResponse r = c.load("s", csv(Flavor.STARROCKS), rows(1, 1));
                assertThat(r.toString()).doesNotContain(SECRET).doesNotContain(basic);
                s.inject(Fault.HTTP_500, 1);
                assertThatThrownBy(() -> c.load("s2", csv(Flavor.STARROCKS), rows(1, 1)))
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(basic));
                s.setFeReachable(0, false);
                assertThatThrownBy(() -> c.loadState("s"))
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(basic));
            }
            assertThatThrownBy(() -> StreamLoadConfig.builder().loadUrls("http://loader:" + SECRET + "@fe:8030")
                    .user("u").database("d").table("t").build())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        }
    }

    @Test
    void theClientRefusesHeadersItSetsItselfAndTheOtherFlavorsApi() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            assertThatThrownBy(() -> c.load("h", Map.of("Authorization", "Basic x"), rows(1, 1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.load("h", Map.of("label", "other"), rows(1, 1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.load("h", Map.of("where", "a\r\nX-Injected: 1"), rows(1, 1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.loadTwoPhase("h", Map.of(), rows(1, 1))).isInstanceOf(IllegalStateException.class);
        }
        try (StreamLoadTestServer s = server(Flavor.DORIS)) {
            try (StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
                assertThatThrownBy(() -> c.begin("h", Map.of())).isInstanceOf(IllegalStateException.class);
            }
            // a client configured for StarRocks talking to a Doris FE: the transaction API is not there
            try (StreamLoadClient c = client(s.clientConfig(DB, TABLE).flavor(Flavor.STARROCKS).build())) {
                assertThatThrownBy(() -> c.begin("h", Map.of()))
                        .isInstanceOfSatisfying(StreamLoadException.class, e -> {
                            assertThat(e.httpStatus()).isEqualTo(404);
                            assertThat(e.retryable()).isFalse();
                        });
            }
        }
    }

    @Test
    void nonAsciiHeaderValuesTravelAsUtf8() throws Exception {
        try (StreamLoadTestServer s = server(Flavor.STARROCKS);
             StreamLoadClient c = client(s.clientConfig(DB, TABLE).build())) {
            Map<String, String> h = StreamLoadHeaders.builder(Flavor.STARROCKS).csv("丨", "\n").where("name = '北京'").build();
            assertThat(h).containsEntry("column_separator", "\\xE4B8A8");
            StreamLoadResponse r = c.load("u", h, StreamLoadBody.ofString("1丨北京丨5\n2丨上海丨6\n"));
            assertThat(r.outcome()).as(r.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(r.numberUnselectedRows()).isEqualTo(1);
            assertThat(s.rows(DB, TABLE)).extracting(m -> m.get("name")).containsExactly("北京");
        }
    }
}
