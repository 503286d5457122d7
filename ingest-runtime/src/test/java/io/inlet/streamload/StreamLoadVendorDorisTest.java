package io.inlet.streamload;

import io.inlet.streamload.testserver.StreamLoadTestServer.RecordedRequest;
import org.apache.doris.flink.cfg.DorisExecutionOptions;
import org.apache.doris.flink.cfg.DorisOptions;
import org.apache.doris.flink.cfg.DorisReadOptions;
import org.apache.doris.flink.rest.models.RespContent;
import org.apache.doris.flink.sink.DorisCommittable;
import org.apache.doris.flink.sink.HttpUtil;
import org.apache.doris.flink.sink.committer.DorisCommitter;
import org.apache.doris.flink.sink.writer.DorisStreamLoad;
import org.apache.doris.flink.sink.writer.LabelGenerator;
import org.apache.flink.api.connector.sink2.Committer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test server, Doris flavor, checked by Doris' own Stream Load client: the Flink connector's
 * {@code DorisStreamLoad} (its writer's loads, {@code two_phase_commit}, aborts) and
 * {@code DorisCommitter} (2PC commits), from {@code org.apache.doris:flink-doris-connector-1.18},
 * used as a library. The writer is given the FE's address, as with {@code auto-redirect}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamLoadVendorDorisTest extends VendorClientFixture {

    @Override
    Flavor flavor() {
        return Flavor.DORIS;
    }

    private String feHostPort() {
        return "127.0.0.1:" + server.feUrl(0).getPort();
    }

    private DorisOptions options() {
        return DorisOptions.builder().setFenodes(feHostPort()).setBenodes(feHostPort())
                .setTableIdentifier(DB + "." + TABLE).setUsername(server.user()).setPassword(server.password())
                .setAutoRedirect(true).build();
    }

    private static DorisExecutionOptions execution(boolean twoPhase) {
        Properties props = new Properties();
        props.setProperty("format", "json");
        props.setProperty("read_json_by_line", "true");
        DorisExecutionOptions.Builder b = DorisExecutionOptions.builder().setLabelPrefix("vendor")
                .setStreamLoadProp(props).setBufferSize(64 * 1024).setBufferCount(3).setMaxRetries(0);
        return (twoPhase ? b.enable2PC() : b.disable2PC()).build();
    }

    private DorisStreamLoad streamLoad(boolean twoPhase) {
        LabelGenerator labels = new LabelGenerator("vendor", twoPhase, DB + "." + TABLE, 0);
        return new DorisStreamLoad(feHostPort(), options(), execution(twoPhase), labels, new HttpUtil().getHttpClient());
    }

    /** One load of the rows under the label, as the connector's writer does it between two checkpoints. */
    private RespContent load(boolean twoPhase, String label, String... rows) throws Exception {
        DorisStreamLoad load = streamLoad(twoPhase);
        try {
            load.startLoad(label, false);
            for (String row : rows) {
                load.writeRecord(row.getBytes(StandardCharsets.UTF_8));
            }
            return load.stopLoad();
        } finally {
            load.close();
        }
    }

    private void commit(long txnId) throws Exception {
        try (DorisCommitter committer = new DorisCommitter(options(), DorisReadOptions.defaults(), execution(true))) {
            committer.commit(List.of(new Request(new DorisCommittable(feHostPort(), DB, txnId))));
        }
    }

    @Test
    void aPlainLoadLandsItsRowsAndMakesItsLabelVisible() throws Exception {
        RespContent r = load(false, "plain-1", ROWS);

        assertThat(r.getStatus()).isEqualTo("Success");
        assertThat(r.getNumberLoadedRows()).isEqualTo(3);
        assertThat(server.rows(DB, TABLE)).extracting(row -> row.get("name")).containsExactlyInAnyOrder("ann", "bob", "cyd");
        assertThat(server.labelState(DB, "plain-1")).isEqualTo(LabelState.VISIBLE);
    }

    @Test
    void theLoadIsRedirectedFromTheFeToTheBeWhichAloneReadsTheBody() throws Exception {
        load(false, "redirected-1", ROWS);

        List<RecordedRequest> loads = requestsTo("/_stream_load");
        assertThat(loads).extracting(RecordedRequest::endpoint).containsExactly("fe0", "be");
        assertThat(loads.get(0).status()).isEqualTo(307);
        assertThat(loads.get(0).bodyBytes()).isZero();
        assertThat(server.feBodyBytesReceived()).isZero();
        assertThat(loads.get(1).authorizedAs(server.user(), server.password())).isTrue();
        assertThat(loads.get(1).continueSent()).isTrue();
        assertThat(loads.get(1).bodyBytes()).isPositive();
    }

    @Test
    void aTwoPhaseLoadIsPrecommittedUntilTheCommitterCommitsIt() throws Exception {
        RespContent r = load(true, "two-phase-1", ROWS);
        assertThat(r.getStatus()).isEqualTo("Success");
        assertThat(r.getTwoPhaseCommit()).isEqualTo("true");
        assertThat(server.labelState(DB, "two-phase-1")).isEqualTo(LabelState.PREPARED);
        assertThat(server.rowCount(DB, TABLE)).isZero();

        commit(r.getTxnId());

        assertThat(server.labelState(DB, "two-phase-1")).isEqualTo(LabelState.VISIBLE);
        assertThat(server.rowCount(DB, TABLE)).isEqualTo(3);
        assertThat(requestsTo("/_stream_load_2pc")).extracting(RecordedRequest::endpoint).containsExactly("fe0", "be");
    }

    @Test
    void committingAnAlreadyCommittedTransactionAgainIsTakenAsDone() throws Exception {
        RespContent r = load(true, "two-phase-2", ROWS);
        commit(r.getTxnId());

        // a committer restored from a checkpoint commits again: Doris answers "is already visible, not pre-committed"
        commit(r.getTxnId());

        assertThat(server.labelState(DB, "two-phase-2")).isEqualTo(LabelState.VISIBLE);
        assertThat(server.rowCount(DB, TABLE)).isEqualTo(3);
    }

    @Test
    void aTwoPhaseLoadAbortedByItsTxnIdLoadsNothing() throws Exception {
        RespContent r = load(true, "two-phase-3", ROWS);
        DorisStreamLoad load = streamLoad(true);
        try {
            load.abortTransaction(r.getTxnId());
        } finally {
            load.close();
        }

        assertThat(server.labelState(DB, "two-phase-3")).isEqualTo(LabelState.ABORTED);
        assertThat(server.rowCount(DB, TABLE)).isZero();
    }

    @Test
    void aReusedLabelOfAPrecommittedLoadIsAbortedByTheTxnIdInDorisMessage() throws Exception {
        RespContent first = load(true, "reused-1", ROWS);

        // the writer restarted without its checkpoint loads under the same label: Doris answers Label Already
        // Exists, PRECOMMITTED, "... relate to txn [id]", and the connector aborts that transaction
        assertThatThrownBy(() -> load(true, "reused-1", ROWS)).hasStackTraceContaining("Exist label abort finished");

        assertThat(server.transaction(DB, "reused-1").orElseThrow().txnId()).isEqualTo(first.getTxnId());
        assertThat(server.labelState(DB, "reused-1")).isEqualTo(LabelState.ABORTED);
        RecordedRequest refused = lastBeRequestTo("/_stream_load");
        assertThat(refused.continueSent()).isFalse();
        assertThat(refused.bodyBytes()).isZero();
    }

    @Test
    void aReusedLabelThatFinishedFailsThePlainLoadAndLoadsNothingTwice() throws Exception {
        load(false, "reused-2", ROWS);

        assertThatThrownBy(() -> load(false, "reused-2", ROWS)).hasStackTraceContaining("has already been used");

        assertThat(server.rowCount(DB, TABLE)).isEqualTo(3);
        assertThat(server.labelState(DB, "reused-2")).isEqualTo(LabelState.VISIBLE);
    }

    @Test
    void recoveryAbortsThePrecommittedTransactionsOfALabelPrefix() throws Exception {
        // the writer's labels for checkpoints 1 and 2 were pre-committed, then the job failed
        LabelGenerator labels = new LabelGenerator("vendor", true, DB + "." + TABLE, 0);
        load(true, labels.generateTableLabel(1), ROWS[0]);
        load(true, labels.generateTableLabel(2), ROWS[1]);

        DorisStreamLoad load = streamLoad(true);
        try {
            load.abortPreCommit("vendor", 1);
        } finally {
            load.close();
        }

        assertThat(server.labelState(DB, labels.generateTableLabel(1))).isEqualTo(LabelState.ABORTED);
        assertThat(server.labelState(DB, labels.generateTableLabel(2))).isEqualTo(LabelState.ABORTED);
        // its probe of checkpoint 3's label opened a transaction of its own, which it aborted too
        assertThat(server.labelState(DB, labels.generateTableLabel(3))).isEqualTo(LabelState.ABORTED);
        assertThat(server.pendingTransactions(DB)).isEmpty();
        assertThat(server.rowCount(DB, TABLE)).isZero();
    }

    /** The Flink committer's request for one committable. */
    private record Request(DorisCommittable committable) implements Committer.CommitRequest<DorisCommittable> {
        @Override
        public DorisCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public void retryLater() {
            throw new AssertionError("retry");
        }

        @Override
        public void updateAndRetryLater(DorisCommittable committable) {
            throw new AssertionError("retry");
        }

        @Override
        public void signalAlreadyCommitted() {
        }
    }
}
