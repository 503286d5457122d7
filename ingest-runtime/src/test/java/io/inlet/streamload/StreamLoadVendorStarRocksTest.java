package io.inlet.streamload;

import com.starrocks.data.load.stream.LabelGenerator;
import com.starrocks.data.load.stream.StreamLoadDataFormat;
import com.starrocks.data.load.stream.StreamLoadSnapshot;
import com.starrocks.data.load.stream.properties.StreamLoadProperties;
import com.starrocks.data.load.stream.properties.StreamLoadTableProperties;
import com.starrocks.data.load.stream.v2.StreamLoadManagerV2;
import io.inlet.streamload.testserver.StreamLoadTestServer.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test server, StarRocks flavor, checked by StarRocks' own Stream Load client: the
 * {@code stream-load-sdk} inside {@code com.starrocks:flink-connector-starrocks} (its
 * {@code StreamLoadManagerV2}, which loads through {@code DefaultStreamLoader}, or
 * {@code TransactionStreamLoader} for {@code /api/transaction/*}), used as a library.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamLoadVendorStarRocksTest extends VendorClientFixture {

    private StreamLoadManagerV2 manager;

    @Override
    Flavor flavor() {
        return Flavor.STARROCKS;
    }

    @AfterEach
    void stopManager() {
        if (manager != null) {
            manager.close();
        }
    }

    /** The SDK's properties for the server's FE: JSON rows in one chunk (the builder's default limit is 0 bytes), no retries. */
    private StreamLoadProperties properties(boolean transactional) {
        StreamLoadTableProperties table = StreamLoadTableProperties.builder().database(DB).table(TABLE)
                .streamLoadDataFormat(StreamLoadDataFormat.JSON).chunkLimit(64L * 1024 * 1024)
                .addProperty("format", "json").addProperty("strip_outer_array", "true")
                .build();
        StreamLoadProperties.Builder b = StreamLoadProperties.builder()
                .loadUrls(server.feUrl(0).toString()).username(server.user()).password(server.password())
                .version("3.3.0").labelPrefix("vendor-").defaultTableProperties(table)
                .connectTimeout(5_000).socketTimeout(30_000).waitForContinueTimeoutMs(5_000)
                .maxRetries(0).ioThreadCount(1);
        if (transactional) {
            b.enableTransaction();
        }
        return b.build();
    }

    /** A started manager: auto-commit loads each flush; otherwise the caller prepares and commits snapshots. */
    private StreamLoadManagerV2 manager(boolean transactional, boolean autoCommit, String fixedLabel) {
        StreamLoadManagerV2 m = new StreamLoadManagerV2(properties(transactional), autoCommit);
        if (fixedLabel != null) {
            m.setLabelGeneratorFactory((db, table) -> fixedLabelGenerator(fixedLabel));
        }
        m.init();
        return m;
    }

    private static LabelGenerator fixedLabelGenerator(String label) {
        return () -> label;
    }

    private void write(StreamLoadManagerV2 m, String... rows) {
        m.write(null, DB, TABLE, rows);
    }

    private String onlyLabel() {
        List<RecordedRequest> loads = requestsTo("_stream_load").stream().filter(r -> r.endpoint().equals("be")).toList();
        assertThat(loads).hasSize(1);
        return loads.get(0).headers().get("label");
    }

    @Test
    void aPlainLoadLandsItsRowsAndMakesItsLabelVisible() {
        manager = manager(false, true, null);
        write(manager, ROWS);
        manager.flush();

        assertThat(manager.getException()).isNull();
        assertThat(server.rows(DB, TABLE)).extracting(r -> r.get("name")).containsExactlyInAnyOrder("ann", "bob", "cyd");
        assertThat(server.labelState(DB, onlyLabel())).isEqualTo(LabelState.VISIBLE);
    }

    @Test
    void theLoadIsRedirectedFromTheFeToTheBeWhichAloneReadsTheBody() {
        manager = manager(false, true, null);
        write(manager, ROWS);
        manager.flush();

        List<RecordedRequest> loads = requestsTo("_stream_load");
        assertThat(loads).extracting(RecordedRequest::endpoint).containsExactly("fe0", "be");
        RecordedRequest fe = loads.get(0);
        RecordedRequest be = loads.get(1);
        assertThat(fe.status()).isEqualTo(307);
        assertThat(fe.continueSent()).isFalse();
        assertThat(fe.bodyBytes()).isZero();
        assertThat(server.feBodyBytesReceived()).isZero();
        // the SDK sends its credentials again to the BE, and the BE asks for the body
        assertThat(be.authorizedAs(server.user(), server.password())).isTrue();
        assertThat(be.continueSent()).isTrue();
        assertThat(be.bodyBytes()).isPositive();
        assertThat(be.status()).isEqualTo(200);
    }

    @Test
    void aReusedLabelThatFinishedIsTakenAsLoadedWithoutLoadingTwice() {
        manager = manager(false, true, "reused-label");
        write(manager, ROWS);
        manager.flush();
        manager.close();

        manager = manager(false, true, "reused-label");
        write(manager, "{\"id\":4,\"name\":\"dan\"}");
        manager.flush();

        // the SDK takes "Label Already Exists" with ExistingJobStatus FINISHED as done
        assertThat(manager.getException()).isNull();
        assertThat(server.rowCount(DB, TABLE)).isEqualTo(3);
        RecordedRequest refused = lastBeRequestTo("_stream_load");
        assertThat(refused.continueSent()).isFalse();
        assertThat(refused.bodyBytes()).isZero();
        assertThat(server.labelState(DB, "reused-label")).isEqualTo(LabelState.VISIBLE);
    }

    @Test
    void aReusedLabelOfAPendingTransactionFailsTheLoad() throws Exception {
        try (StreamLoadClient inlet = new StreamLoadClient(server.clientConfig(DB, TABLE).build())) {
            inlet.begin("held-label", Map.of()).orThrow();
        }
        manager = manager(false, true, "held-label");
        write(manager, ROWS);
        assertThatThrownBy(manager::flush).hasStackTraceContaining("label existed");

        assertThat(server.rowCount(DB, TABLE)).isZero();
        assertThat(server.labelState(DB, "held-label")).isEqualTo(LabelState.PREPARE);
    }

    /** Writes the rows in an open transaction (begin + load), prepares it, then hands the snapshot on. */
    private void preparedTransaction(Consumer<StreamLoadSnapshot> then) {
        manager = manager(true, false, null);
        write(manager, ROWS);
        manager.flush();
        StreamLoadSnapshot snapshot = manager.snapshot();
        assertThat(manager.prepare(snapshot)).isTrue();

        String label = requestsTo("/api/transaction/begin").get(0).headers().get("label");
        assertThat(server.labelState(DB, label)).isEqualTo(LabelState.PREPARED);
        assertThat(server.rowCount(DB, TABLE)).isZero();
        then.accept(snapshot);
    }

    @Test
    void aTransactionBegunLoadedPreparedAndCommittedMakesItsRowsVisible() {
        preparedTransaction(snapshot -> assertThat(manager.commit(snapshot)).isTrue());

        String label = requestsTo("/api/transaction/begin").get(0).headers().get("label");
        assertThat(server.labelState(DB, label)).isEqualTo(LabelState.VISIBLE);
        assertThat(server.rows(DB, TABLE)).extracting(r -> r.get("id")).containsExactlyInAnyOrder(1L, 2L, 3L);
        // every step went through the FE's redirect to the BE
        for (String op : List.of("begin", "load", "prepare", "commit")) {
            assertThat(requestsTo("/api/transaction/" + op)).extracting(RecordedRequest::endpoint, RecordedRequest::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("fe0", 307), org.assertj.core.groups.Tuple.tuple("be", 200));
        }
    }

    @Test
    void aPreparedTransactionRolledBackLoadsNothing() {
        preparedTransaction(snapshot -> assertThat(manager.abort(snapshot)).isTrue());

        String label = requestsTo("/api/transaction/begin").get(0).headers().get("label");
        assertThat(server.labelState(DB, label)).isEqualTo(LabelState.ABORTED);
        assertThat(server.pendingTransactions(DB)).isEmpty();
        assertThat(server.rowCount(DB, TABLE)).isZero();
    }
}
