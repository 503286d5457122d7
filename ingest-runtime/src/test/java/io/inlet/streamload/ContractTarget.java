package io.inlet.streamload;

import io.inlet.streamload.testserver.StreamLoadTestServer;
import org.junit.jupiter.api.Assumptions;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a contract scenario runs: the Stream Load test server in either flavor, or a real
 * StarRocks / Doris when {@code INLET_STARROCKS_URL} / {@code INLET_DORIS_URL} is set (skipped
 * otherwise). The table is {@code (id BIGINT NOT NULL, name VARCHAR(64), score BIGINT)}; on a
 * real server it must exist (see README-streamload.md).
 */
final class ContractTarget implements AutoCloseable {

    static final List<String> ALL = List.of("testserver-starrocks", "testserver-doris", "starrocks", "doris");
    static final String[] COLUMNS = {"id BIGINT NOT NULL", "name VARCHAR(64)", "score BIGINT"};

    private final String name;
    private final Flavor flavor;
    private final StreamLoadConfig config;
    private final StreamLoadTestServer server;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    private ContractTarget(String name, Flavor flavor, StreamLoadConfig config, StreamLoadTestServer server) {
        this.name = name;
        this.flavor = flavor;
        this.config = config;
        this.server = server;
    }

    static ContractTarget open(String name) {
        switch (name) {
            case "testserver-starrocks":
                return testServer(name, Flavor.STARROCKS);
            case "testserver-doris":
                return testServer(name, Flavor.DORIS);
            case "starrocks":
                return real(name, Flavor.STARROCKS, "INLET_STARROCKS");
            case "doris":
                return real(name, Flavor.DORIS, "INLET_DORIS");
            default:
                throw new IllegalArgumentException(name);
        }
    }

    private static ContractTarget testServer(String name, Flavor flavor) {
        StreamLoadTestServer s = StreamLoadTestServer.start(flavor);
        s.createTable("contract_db", "inlet_contract", COLUMNS);
        return new ContractTarget(name, flavor, s.clientConfig("contract_db", "inlet_contract").build(), s);
    }

    private static ContractTarget real(String name, Flavor flavor, String prefix) {
        String url = System.getenv(prefix + "_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(), prefix + "_URL is not set: no real "
                + flavor.name().toLowerCase(Locale.ROOT) + " to run the contract against");
        StreamLoadConfig cfg = StreamLoadConfig.builder()
                .loadUrls(url)
                .user(env(prefix + "_USER", "root"))
                .password(env(prefix + "_PASSWORD", ""))
                .database(env(prefix + "_DB", "inlet_test"))
                .table(env(prefix + "_TABLE", "inlet_contract"))
                .flavor(flavor)
                .connectTimeout(Duration.ofSeconds(10))
                .requestTimeout(Duration.ofSeconds(120))
                .build();
        return new ContractTarget(name, flavor, cfg, null);
    }

    private static String env(String key, String dflt) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? dflt : v;
    }

    String name() {
        return name;
    }

    Flavor flavor() {
        return flavor;
    }

    StreamLoadConfig config() {
        return config;
    }

    StreamLoadClient client() {
        return new StreamLoadClient(config);
    }

    /** The test server behind this target, for assertions only it can answer (rows, requests). */
    Optional<StreamLoadTestServer> server() {
        return Optional.ofNullable(server);
    }

    /** A label unique to this run (real servers keep labels for days). */
    String label(String base) {
        return "inlet_contract_" + base + "_" + runId;
    }

    /** CSV headers: comma separated, columns in table order. */
    Map<String, String> csv() {
        return StreamLoadHeaders.builder(flavor).csv(",", "\n").columns("id,name,score").build();
    }

    List<Map<String, Object>> rowsWithIds(long... ids) {
        if (server == null) {
            return List.of();
        }
        List<Map<String, Object>> rows = server.rows(config.database(), config.table());
        return rows.stream().filter(r -> {
            Object id = r.get("id");
            for (long i : ids) {
                if (Long.valueOf(i).equals(id)) {
                    return true;
                }
            }
            return false;
        }).toList();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
