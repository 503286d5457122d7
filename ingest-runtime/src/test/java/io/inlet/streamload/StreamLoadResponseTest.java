package io.inlet.streamload;

import io.inlet.streamload.StreamLoadResponse.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing and classifying the answers both warehouses document. */
class StreamLoadResponseTest {

    private static final URI BE = URI.create("http://be:8040/api/db/t/_stream_load");

    private static StreamLoadResponse parse(String op, String json) throws Exception {
        return StreamLoadResponse.parse(op, BE, 200, json, "sent-label");
    }

    @Test
    void aStarRocksSuccessCarriesTheDocumentedCounters() throws Exception {
        StreamLoadResponse r = parse("stream load", "{\"TxnId\":1003,\"Label\":\"label123\",\"Status\":\"Success\","
                + "\"Message\":\"OK\",\"NumberTotalRows\":1000000,\"NumberLoadedRows\":999999,\"NumberFilteredRows\":1,"
                + "\"NumberUnselectedRows\":0,\"LoadBytes\":40888898,\"LoadTimeMs\":2144,\"BeginTxnTimeMs\":0,"
                + "\"StreamLoadPlanTimeMs\":1,\"ReadDataTimeMs\":0,\"WriteDataTimeMs\":11,\"CommitAndPublishTimeMs\":16,"
                + "\"ErrorURL\":\"http://172.26.195.68:8045/api/_load_error_log?file=error_log_3a4eb8421f0878a6\"}");
        assertThat(r.txnId()).isEqualTo(1003);
        assertThat(r.label()).isEqualTo("label123");
        assertThat(r.numberTotalRows()).isEqualTo(1_000_000);
        assertThat(r.numberLoadedRows()).isEqualTo(999_999);
        assertThat(r.numberFilteredRows()).isEqualTo(1);
        assertThat(r.loadBytes()).isEqualTo(40_888_898);
        assertThat(r.loadTimeMs()).isEqualTo(2144);
        assertThat(r.errorUrl()).startsWith("http://172.26.195.68:8045/api/_load_error_log");
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.isLoaded()).isTrue();
        assertThat(r.twoPhaseCommit()).isFalse();
    }

    @Test
    void aDorisTwoPhaseLoadIsMarkedAndItsCommitAnswerParses() throws Exception {
        StreamLoadResponse r = parse("stream load", "{\"TxnId\":18036,\"Label\":\"55c8ffc9\",\"TwoPhaseCommit\":\"true\","
                + "\"Status\":\"Success\",\"Message\":\"OK\",\"NumberTotalRows\":100,\"NumberLoadedRows\":100}");
        assertThat(r.twoPhaseCommit()).isTrue();
        assertThat(r.txnId()).isEqualTo(18036);

        StreamLoadResponse c = parse("2pc commit", "{\"status\":\"Success\",\"msg\":\"transaction [18036] commit successfully.\"}");
        assertThat(c.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(c.message()).contains("commit successfully");
        assertThat(c.label()).isEqualTo("sent-label");
        assertThat(c.txnId()).isEqualTo(-1);

        StreamLoadResponse again = parse("2pc commit",
                "{\"status\":\"ANALYSIS_ERROR\",\"msg\":\"transaction [18036] is already visible, not pre-committed.\"}");
        assertThat(again.outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void aUsedLabelIsLoadedWhenFinishedAndInProgressWhenRunning() throws Exception {
        StreamLoadResponse finished = parse("stream load", "{\"TxnId\":7,\"Label\":\"l\",\"Status\":\"Label Already Exists\","
                + "\"ExistingJobStatus\":\"FINISHED\",\"Message\":\"Label [l] has already been used.\"}");
        assertThat(finished.outcome()).isEqualTo(Outcome.LABEL_ALREADY_LOADED);
        assertThat(finished.isLoaded()).isTrue();
        assertThat(finished.isRetryable()).isFalse();

        StreamLoadResponse running = parse("stream load", "{\"Status\":\"Label Already Exists\","
                + "\"ExistingJobStatus\":\"RUNNING\",\"Message\":\"Label [l] has already been used.\"}");
        assertThat(running.outcome()).isEqualTo(Outcome.LABEL_IN_PROGRESS);
        assertThat(running.isLoaded()).isFalse();
        assertThat(running.isRetryable()).isTrue();

        StreamLoadResponse begin = parse("begin", "{\"Status\":\"LABEL_ALREADY_EXISTS\",\"ExistingJobStatus\":\"RUNNING\","
                + "\"Message\":\"Label [streamload_txn_example1_table1] has already been used.\"}");
        assertThat(begin.outcome()).isEqualTo(Outcome.LABEL_IN_PROGRESS);
        assertThat(StreamLoadResponse.classify("begin", "LABEL_ALREADY_EXISTS", "", "FINISHED"))
                .isEqualTo(Outcome.LABEL_ALREADY_LOADED);
        // older servers without ExistingJobStatus: check the label's state
        assertThat(StreamLoadResponse.classify("stream load", "Label Already Exists", "", null))
                .isEqualTo(Outcome.LABEL_IN_PROGRESS);
    }

    @Test
    void publishTimeoutsAreCommitted() throws Exception {
        assertThat(StreamLoadResponse.classify("stream load", "Publish Timeout", "", null))
                .isEqualTo(Outcome.PUBLISH_TIMEOUT);
        StreamLoadResponse commit = parse("commit", "{\"TxnId\":1,\"Label\":\"x\",\"Status\":\"FAILED\","
                + "\"Message\":\"publish timeout\",\"CommitAndPublishTimeMs\":1393}");
        assertThat(commit.outcome()).isEqualTo(Outcome.PUBLISH_TIMEOUT);
        assertThat(commit.isLoaded()).isTrue();
        StreamLoadResponse already = parse("commit", "{\"TxnId\":1,\"Label\":\"x\",\"Status\":\"OK\","
                + "\"Message\":\"Transaction already commited\"}");
        assertThat(already.outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Too many versions. tablet_id: 221090, version_count: 1230, limit: 1000, replica_state: 0: be:mi",
            "Failed to load data into tablet 21635, because of too many versions, current/limit: 1001/1000",
            "wait close failed. NodeChannel[1539524-10008], add batch req success but status isn't ok, err: "
                    + "tablet writer write failed, tablet_id=1539539, txn_id=38873401, err=-235",
            "[E-235]failed to init rowset builder. version count: 2001, exceed limit: 2000, tablet: 1234",
            "[TOO_MANY_VERSION]failed to init rowset builder. version count: 2001, exceed limit: 2000, tablet: 1234. "
                    + "Please reduce the frequency of loading data",
            "errCode = 2, detailMessage = current running txns on db 11001 is 150, larger than limit 150"})
    void versionPressureIsRecognisedInEitherWording(String message) {
        assertThat(StreamLoadResponse.classify("stream load", "Fail", message, null)).isEqualTo(Outcome.VERSION_PRESSURE);
        assertThat(StreamLoadResponse.classify("load", "FAILED", message, null)).isEqualTo(Outcome.VERSION_PRESSURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "too many filtered rows",
            "unknown table, table=db.t",
            "[ANALYSIS_ERROR]TStatus: errCode = 2, detailMessage = Unknown table 't' in db",
            "Access denied for user 'loader'",
            "There is no 100-continue header",
            "TXN_NOT_EXISTS",
            "Transcation Not Exist",
            "Transcation State Invalid",
            "[DATA_QUALITY_ERROR]Parse json data failed: Unexpected character"})
    void failuresThatRepeatingCannotFixAreNotRetryable(String message) {
        Outcome o = StreamLoadResponse.classify("stream load", "Fail", message, null);
        assertThat(o).isEqualTo(Outcome.FAILED);
    }

    @Test
    void anAnswerAboutAVanishedTransactionSaysSoButADataFailureDoesNot() throws Exception {
        assertThat(parse("load", "{\"Status\":\"FAILED\",\"Message\":\"Transcation State Invalid\"}")
                .transactionGone()).isTrue();
        assertThat(parse("prepare", "{\"Status\":\"FAILED\",\"Message\":\"TXN_NOT_EXISTS\"}").transactionGone())
                .isTrue();
        assertThat(parse("prepare", "{\"Status\":\"FAILED\",\"Message\":\"too many filtered rows\"}")
                .transactionGone()).isFalse();
        assertThat(parse("load", "{\"Status\":\"OK\"}").transactionGone()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[INTERNAL_ERROR]cancelled: closed",
            "Failed to commit txn 1584905. Tablet [4620760] success replica num 0 is less then quorum replica num 1",
            "transaction with op commit label 154968ac has no backend",
            "timeout by txn manager",
            "txn_id=1235, tablet_id=22350"})
    void otherFailuresAreRetryable(String message) {
        assertThat(StreamLoadResponse.classify("stream load", "Fail", message, null)).isEqualTo(Outcome.FAILED_RETRYABLE);
    }

    @Test
    void aFailureDescribesItselfWithEndpointLabelAndMessage() throws Exception {
        StreamLoadResponse r = parse("stream load", "{\"TxnId\":3,\"Label\":\"batch-7\",\"Status\":\"Fail\","
                + "\"Message\":\"too many filtered rows\",\"ErrorURL\":\"http://be:8040/api/_load_error_log?file=e1\"}");
        assertThat(r.describeFailure()).contains("stream load").contains("batch-7").contains(BE.toString())
                .contains("Fail").contains("too many filtered rows").contains("file=e1");
        assertThat(r.toString()).contains("outcome=FAILED");
    }

    @Test
    void missingFieldsHaveDefaults() throws Exception {
        StreamLoadResponse r = parse("rollback", "{\"Status\":\"OK\"}");
        assertThat(r.txnId()).isEqualTo(-1);
        assertThat(r.numberTotalRows()).isZero();
        assertThat(r.message()).isNull();
        assertThat(r.errorUrl()).isNull();
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void labelStatesOfBothWarehousesParse() {
        assertThat(LabelState.parse("PRECOMMITTED")).isEqualTo(LabelState.PREPARED);
        assertThat(LabelState.parse("PREPARED")).isEqualTo(LabelState.PREPARED);
        assertThat(LabelState.parse("PREPARE")).isEqualTo(LabelState.PREPARE);
        assertThat(LabelState.parse("COMMITTED")).isEqualTo(LabelState.COMMITTED);
        assertThat(LabelState.parse("VISIBLE")).isEqualTo(LabelState.VISIBLE);
        assertThat(LabelState.parse("ABORTED")).isEqualTo(LabelState.ABORTED);
        assertThat(LabelState.parse("UNKNOWN")).isEqualTo(LabelState.UNKNOWN);
        assertThat(LabelState.parse(null)).isEqualTo(LabelState.UNKNOWN);
        assertThat(LabelState.VISIBLE.isCommitted()).isTrue();
        assertThat(LabelState.PREPARED.isPending()).isTrue();
        assertThat(LabelState.ABORTED.isPending()).isFalse();
    }
}
