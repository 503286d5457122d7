package io.inlet.bench;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.testserver.StreamLoadTestServer;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The Stream Load test server (Doris flavor), the job catalog in the broker. It counts the connections open to its
 * FE and BE itself, so the peak is exact rather than sampled.
 */
final class StreamLoadJobs implements JobsWarehouse {

    private static final String DATABASE = "many_jobs";
    private static final String PASSWORD = "many-jobs-pw-5b1d";

    private final StreamLoadTestServer server = StreamLoadTestServer.builder(Flavor.DORIS)
            .credentials("loader", PASSWORD).build();

    @Override
    public String config(EmbeddedKafkaBroker broker) {
        return """
                warehouse:
                  type: doris
                  load-url: %s
                  user: loader
                  database: %s
                catalog:
                  kafka:
                    bootstrap-servers: %s
                """.formatted(server.loadUrl(), DATABASE, broker.bootstrapServers());
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("INLET_WAREHOUSE_PASSWORD", PASSWORD);
    }

    @Override
    public void createTables(Collection<String> tables) {
        for (String t : tables) {
            server.createTable(DATABASE, t, "id BIGINT NOT NULL", "name VARCHAR(32)", "ts BIGINT");
        }
    }

    @Override
    public Map<String, Long> rows(Collection<String> tables) {
        Map<String, Long> out = new HashMap<>();
        for (String t : tables) {
            out.put(t, server.rowCount(DATABASE, t));
        }
        return out;
    }

    @Override
    public Map<String, TableCount> counts(Collection<String> tables) {
        Map<String, TableCount> out = new HashMap<>();
        for (String t : tables) {
            var rows = server.rows(DATABASE, t);
            out.put(t, new TableCount(rows.size(), rows.stream().map(r -> r.get("id")).distinct().count()));
        }
        return out;
    }

    @Override
    public int connections() {
        return server.peakOpenConnections();
    }

    @Override
    public int peakRequests() {
        return server.peakRequestsInFlight();
    }

    @Override
    public void close() {
        server.close();
    }
}
