package io.inlet.crash;

import io.inlet.streamload.Flavor;
import io.inlet.streamload.testserver.StreamLoadTestServer;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The replicas' chaos against the Stream Load test server, with the job catalog in a Kafka topic. */
abstract class StreamLoadReplicaChaosTest extends ReplicaChaosTest {

    private static final String PASSWORD = "chaos-pw-2c9e";
    private StreamLoadTestServer server;

    abstract Flavor flavor();

    @Override
    String prepareWarehouse() {
        server = StreamLoadTestServer.builder(flavor()).credentials("loader", PASSWORD).build();
        server.createTable("chaos_db", "chaos_target", "id BIGINT NOT NULL", "name VARCHAR(32)", "ts BIGINT",
                "created DATETIME");
        return """
                warehouse:
                  type: %s
                  load-url: %s
                  user: loader
                  database: chaos_db
                catalog:
                  kafka:
                    bootstrap-servers: %s
                """.formatted(flavor().name().toLowerCase(), server.loadUrl(), broker.bootstrapServers());
    }

    @Override
    Map<String, String> environment() {
        return Map.of("INLET_WAREHOUSE_PASSWORD", PASSWORD);
    }

    @Override
    long[] counts() {
        List<Map<String, Object>> rows = server.rows("chaos_db", "chaos_target");
        return new long[] {rows.size(), rows.stream().map(r -> r.get("id")).distinct().count()};
    }

    @Override
    void tearDownWarehouse() {
        if (server != null) {
            assertThat(server.pendingTransactions("chaos_db")).as("prepared transactions left behind").isEmpty();
            server.close();
        }
    }
}
