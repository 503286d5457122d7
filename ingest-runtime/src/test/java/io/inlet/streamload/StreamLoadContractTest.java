package io.inlet.streamload;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same scenarios against the Stream Load test server (StarRocks and Doris flavors) and,
 * when configured, against a real StarRocks ({@code INLET_STARROCKS_URL}) or Doris
 * ({@code INLET_DORIS_URL}). Assertions use what the protocol reports (answers, counters, label
 * states); row contents are checked on the test server only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamLoadContractTest {

    static List<String> targets() {
        return ContractTarget.ALL;
    }

    private static long base() {
        return ThreadLocalRandom.current().nextLong(1, 1_000_000_000L) * 10;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void csvLoadFollowsTheRedirectWithCredentials(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName); StreamLoadClient c = t.client()) {
            long id = base();
            String label = t.label("csv");
            StreamLoadResponse r = c.load(label, t.csv(),
                    StreamLoadBody.ofString(id + ",alice,10\n" + (id + 1) + ",bob,20\n" + (id + 2) + ",\\N,30\n"));

            assertThat(r.outcome()).as(r.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(r.numberTotalRows()).isEqualTo(3);
            assertThat(r.numberLoadedRows()).isEqualTo(3);
            assertThat(r.numberFilteredRows()).isZero();
            assertThat(r.label()).isEqualTo(label);
            assertThat(r.txnId()).isPositive();
            assertThat(c.loadState(label).isCommitted()).isTrue();
            t.server().ifPresent(s -> {
                assertThat(t.rowsWithIds(id, id + 1, id + 2)).extracting(m -> m.get("name"))
                        .containsExactlyInAnyOrder("alice", "bob", null);
                var reqs = s.requests();
                assertThat(reqs).anySatisfy(q -> {
                    assertThat(q.endpoint()).isEqualTo("fe0");
                    assertThat(q.status()).isEqualTo(307);
                });
                assertThat(reqs).filteredOn(q -> q.endpoint().equals("be") && q.path().endsWith("/_stream_load"))
                        .singleElement().satisfies(q -> {
                            assertThat(q.authorizedAs(s.user(), s.password())).isTrue();
                            assertThat(q.continueSent()).isTrue();
                            assertThat(q.headers()).containsEntry("label", label).containsEntry("column_separator", ",");
                        });
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void jsonLoadWithJsonpathsAndADerivedColumn(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName); StreamLoadClient c = t.client()) {
            long id = base();
            Map<String, String> h = StreamLoadHeaders.builder(t.flavor())
                    .json("[\"$.uid\",\"$.user.name\",\"$.points\"]", null, true, false)
                    .columns("id, name, points, score = points * 10")
                    .build();
            String body = "[{\"uid\":" + id + ",\"user\":{\"name\":\"carol\"},\"points\":4},"
                    + "{\"uid\":" + (id + 1) + ",\"user\":{\"name\":\"dave\"},\"points\":7}]";
            StreamLoadResponse r = c.load(t.label("json"), h, StreamLoadBody.ofString(body));

            assertThat(r.outcome()).as(r.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(r.numberLoadedRows()).isEqualTo(2);
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id, id + 1))
                    .extracting(m -> m.get("name") + "=" + m.get("score"))
                    .containsExactlyInAnyOrder("carol=40", "dave=70"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void theSameLabelLoadsOnce(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName); StreamLoadClient c = t.client()) {
            long id = base();
            String label = t.label("once");
            StreamLoadBody body = StreamLoadBody.ofString(id + ",erin,1\n");
            StreamLoadResponse first = c.load(label, t.csv(), body);
            StreamLoadResponse second = c.load(label, t.csv(), body);

            assertThat(first.outcome()).as(first.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(second.status()).isEqualTo("Label Already Exists");
            assertThat(second.existingJobStatus()).isEqualTo("FINISHED");
            assertThat(second.outcome()).isEqualTo(StreamLoadResponse.Outcome.LABEL_ALREADY_LOADED);
            assertThat(second.isLoaded()).isTrue();
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id)).hasSize(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void filteredRowsFailALoadUnlessMaxFilterRatioAllowsThem(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName); StreamLoadClient c = t.client()) {
            long id = base();
            String label = t.label("filtered");
            StreamLoadBody body = StreamLoadBody.ofString(id + ",frank,1\n" + (id + 1) + ",too,many,columns\n"
                    + (id + 2) + ",gina,3\n");
            StreamLoadResponse strict = c.load(label, t.csv(), body);

            assertThat(strict.outcome()).as(strict.toString()).isEqualTo(StreamLoadResponse.Outcome.FAILED);
            assertThat(strict.isRetryable()).isFalse();
            assertThat(strict.message()).containsIgnoringCase("too many filtered rows");
            assertThat(strict.errorUrl()).isNotBlank();
            assertThat(c.loadState(label)).isIn(LabelState.ABORTED, LabelState.UNKNOWN);

            // an aborted label may be used again
            Map<String, String> tolerant = StreamLoadHeaders.builder(t.flavor()).csv(",", "\n")
                    .columns("id,name,score").maxFilterRatio(0.5).build();
            StreamLoadResponse r = c.load(label, tolerant, body);
            assertThat(r.outcome()).as(r.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(r.numberLoadedRows()).isEqualTo(2);
            assertThat(r.numberFilteredRows()).isEqualTo(1);
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id, id + 1, id + 2)).hasSize(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void whereCountsUnselectedRows(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName); StreamLoadClient c = t.client()) {
            long id = base();
            Map<String, String> h = StreamLoadHeaders.builder(t.flavor()).csv(",", "\n").columns("id,name,score")
                    .where("score > 10").build();
            StreamLoadResponse r = c.load(t.label("where"), h,
                    StreamLoadBody.ofString(id + ",hank,5\n" + (id + 1) + ",iris,50\n"));

            assertThat(r.outcome()).as(r.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(r.numberLoadedRows()).isEqualTo(1);
            assertThat(r.numberUnselectedRows()).isEqualTo(1);
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id, id + 1)).extracting(m -> m.get("name"))
                    .containsExactly("iris"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aPreparedLoadIsInvisibleUntilCommitted(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName); StreamLoadClient c = t.client()) {
            long id = base();
            String label = t.label("commit");
            assertThat(c.loadState(label)).isEqualTo(LabelState.UNKNOWN);

            StreamLoadResponse p = c.loadPrepared(label, t.csv(), StreamLoadBody.ofString(id + ",jack,1\n" + (id + 1) + ",kim,2\n"));
            assertThat(p.outcome()).as(p.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            assertThat(p.numberLoadedRows()).isEqualTo(2);
            assertThat(p.txnId()).isPositive();
            assertThat(c.loadState(label)).isEqualTo(LabelState.PREPARED);
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id, id + 1)).isEmpty());

            assertThat(c.commitPrepared(label, p.txnId()).isCommitted()).isTrue();
            assertThat(c.awaitSettled(label, Duration.ofSeconds(30)).isCommitted()).isTrue();
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id, id + 1)).hasSize(2));

            // committing again is harmless: the label is committed
            assertThat(c.commitPrepared(label, p.txnId()).isCommitted()).isTrue();
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id, id + 1)).hasSize(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void anAbortedPreparedLoadLeavesNothingAndFreesItsLabel(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName); StreamLoadClient c = t.client()) {
            long id = base();
            String label = t.label("abort");
            StreamLoadResponse p = c.loadPrepared(label, t.csv(), StreamLoadBody.ofString(id + ",lena,1\n"));
            assertThat(p.outcome()).as(p.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);

            assertThat(c.abortPrepared(label, p.txnId())).isEqualTo(LabelState.ABORTED);
            assertThat(c.loadState(label)).isEqualTo(LabelState.ABORTED);
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id)).isEmpty());
            // aborting again changes nothing
            assertThat(c.abortPrepared(label, p.txnId())).isEqualTo(LabelState.ABORTED);

            StreamLoadResponse again = c.load(label, t.csv(), StreamLoadBody.ofString(id + ",lena,1\n"));
            assertThat(again.outcome()).as(again.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id)).hasSize(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aPreparedLoadOutlivesItsClientAndIsResolvedByLabel(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName)) {
            long id = base();
            String committed = t.label("restart_commit");
            String aborted = t.label("restart_abort");
            try (StreamLoadClient before = t.client()) {
                assertThat(before.loadPrepared(committed, t.csv(), StreamLoadBody.ofString(id + ",mia,1\n")).outcome())
                        .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
                assertThat(before.loadPrepared(aborted, t.csv(), StreamLoadBody.ofString((id + 1) + ",ned,2\n")).outcome())
                        .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            }
            // a new process knows only the labels
            try (StreamLoadClient after = t.client()) {
                assertThat(after.loadState(committed)).isEqualTo(LabelState.PREPARED);
                assertThat(after.loadState(aborted)).isEqualTo(LabelState.PREPARED);
                assertThat(after.commitPrepared(committed, -1).isCommitted()).isTrue();
                assertThat(after.abortPrepared(aborted, -1)).isEqualTo(LabelState.ABORTED);
                assertThat(after.awaitSettled(committed, Duration.ofSeconds(30)).isCommitted()).isTrue();
            }
            t.server().ifPresent(s -> {
                assertThat(t.rowsWithIds(id, id + 1)).extracting(m -> m.get("name")).containsExactly("mia");
                assertThat(s.pendingTransactions(t.config().database())).isEmpty();
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void abortingALabelThatIsAlreadyVisibleReportsItInsteadOfFailing(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName); StreamLoadClient c = t.client()) {
            long id = base();
            String label = t.label("visible");
            assertThat(c.load(label, t.csv(), StreamLoadBody.ofString(id + ",olga,1\n")).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            // a recovery that finds its label visible must skip the batch, not fail (connector issue #393)
            assertThat(c.abortPrepared(label, -1).isCommitted()).isTrue();
            t.server().ifPresent(s -> assertThat(t.rowsWithIds(id)).hasSize(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aLabelInUseByAPendingTransactionIsReportedAsInProgress(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName); StreamLoadClient c = t.client()) {
            long id = base();
            String label = t.label("running");
            assertThat(c.loadPrepared(label, t.csv(), StreamLoadBody.ofString(id + ",pia,1\n")).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
            StreamLoadResponse r = c.load(label, t.csv(), StreamLoadBody.ofString(id + ",pia,1\n"));
            // StarRocks reports a prepared transaction's label RUNNING, Doris a pre-committed one PRECOMMITTED
            // (each one's LabelAlreadyUsedException)
            assertThat(r.existingJobStatus()).isEqualTo(t.flavor() == Flavor.DORIS ? "PRECOMMITTED" : "RUNNING");
            assertThat(r.outcome()).isEqualTo(StreamLoadResponse.Outcome.LABEL_IN_PROGRESS);
            assertThat(r.isLoaded()).isFalse();
            assertThat(c.loadPrepared(label, t.csv(), StreamLoadBody.ofString(id + ",pia,1\n")).outcome())
                    .isEqualTo(StreamLoadResponse.Outcome.LABEL_IN_PROGRESS);
            assertThat(c.abortPrepared(label, -1)).isEqualTo(LabelState.ABORTED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aStarRocksTransactionTakesSeveralLoads(String targetName) throws Exception {
        try (ContractTarget t = ContractTarget.open(targetName)) {
            Assumptions.assumeTrue(t.flavor() == Flavor.STARROCKS, "the transaction interface is StarRocks'");
            try (StreamLoadClient c = t.client()) {
                long id = base();
                String label = t.label("multi");
                StreamLoadResponse b = c.begin(label, Map.of("timeout", "60"));
                assertThat(b.outcome()).as(b.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
                assertThat(b.txnId()).isPositive();
                assertThat(c.loadState(label)).isEqualTo(LabelState.PREPARE);
                StreamLoadResponse l1 = c.transactionLoad(label, t.csv(), StreamLoadBody.ofString(id + ",quinn,1\n"));
                StreamLoadResponse l2 = c.transactionLoad(label, t.csv(),
                        StreamLoadBody.ofString((id + 1) + ",rosa,2\n" + (id + 2) + ",sam,3\n"));
                assertThat(l1.outcome()).as(l1.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
                assertThat(l2.numberLoadedRows()).isEqualTo(2);
                StreamLoadResponse p = c.prepare(label, Map.of());
                assertThat(p.outcome()).as(p.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
                assertThat(p.numberLoadedRows()).isEqualTo(3);
                assertThat(c.loadState(label)).isEqualTo(LabelState.PREPARED);
                // a prepared transaction takes no more data
                assertThat(c.transactionLoad(label, t.csv(), StreamLoadBody.ofString((id + 3) + ",tom,4\n")).outcome())
                        .isEqualTo(StreamLoadResponse.Outcome.FAILED);
                StreamLoadResponse cm = c.commit(label);
                assertThat(cm.outcome()).as(cm.toString()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
                assertThat(c.commit(label).outcome()).isEqualTo(StreamLoadResponse.Outcome.SUCCESS);
                assertThat(c.rollback(label).isLoaded()).isFalse();
                t.server().ifPresent(s -> assertThat(t.rowsWithIds(id, id + 1, id + 2, id + 3)).hasSize(3));
            }
        }
    }
}
