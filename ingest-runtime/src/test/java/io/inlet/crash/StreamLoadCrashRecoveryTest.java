package io.inlet.crash;

import io.inlet.streamload.Flavor;
import io.inlet.streamload.LabelState;
import io.inlet.streamload.testserver.StreamLoadTestServer;
import io.inlet.streamload.testserver.StreamLoadTestServer.Fault;

import java.util.List;
import java.util.Map;

/**
 * The crash test against the Stream Load test server (StarRocks protocol): among the kills, three
 * land while a batch is prepared and its commit held unanswered; at the end no prepared transaction lingers.
 */
class StreamLoadCrashRecoveryTest extends CrashRecoveryTest {

    private static final String PASSWORD = "crash-sl-secret";
    private StreamLoadTestServer server;

    @Override
    String prepareWarehouse() {
        server = StreamLoadTestServer.builder(Flavor.STARROCKS).credentials("loader", PASSWORD).build();
        server.createTable("crash_db", "crash_target", "id BIGINT NOT NULL", "name VARCHAR(32)", "ts BIGINT",
                "created DATETIME");
        return """
                warehouse:
                  type: starrocks
                  load-url: %s
                  user: loader
                  database: crash_db
                catalog:
                  kafka:
                    bootstrap-servers: %s
                """.formatted(server.loadUrl(), broker.bootstrapServers());
    }

    @Override
    Map<String, String> serviceEnvironment() {
        return Map.of("INLET_WAREHOUSE_PASSWORD", PASSWORD);
    }

    @Override
    void holdNextCommit() {
        server.injectCommit(Fault.TIMEOUT, 1);
    }

    /** A batch prepared, and its commit arrived and held: the kill cannot miss the moment. */
    @Override
    boolean batchPrepared() {
        return server.pendingCommitFaults() == 0
                && server.pendingTransactions("crash_db").stream().anyMatch(t -> t.state() == LabelState.PREPARED);
    }

    @Override
    int preparedKills() {
        return 3;
    }

    @Override
    long[] counts() {
        List<Map<String, Object>> rows = server.rows("crash_db", "crash_target");
        return new long[] {rows.size(), rows.stream().map(r -> r.get("id")).distinct().count()};
    }

    @Override
    void tearDownWarehouse() {
        if (server != null) {
            assertNoLingeringTransactions();
            server.close();
        }
    }

    private void assertNoLingeringTransactions() {
        org.assertj.core.api.Assertions.assertThat(server.pendingTransactions("crash_db"))
                .as("prepared transactions left behind").isEmpty();
    }
}
