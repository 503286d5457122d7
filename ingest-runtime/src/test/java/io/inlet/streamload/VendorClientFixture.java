package io.inlet.streamload;

import io.inlet.streamload.testserver.StreamLoadTestServer;
import io.inlet.streamload.testserver.StreamLoadTestServer.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;

/**
 * What the tests of the vendors' own clients share: a Stream Load test server of one flavor, started
 * for each test and stopped after it, with a table {@code vendor_db.users (id, name)}, and three rows.
 */
abstract class VendorClientFixture {

    static final String DB = "vendor_db";
    static final String TABLE = "users";
    static final String[] ROWS = {
            "{\"id\":1,\"name\":\"ann\"}", "{\"id\":2,\"name\":\"bob\"}", "{\"id\":3,\"name\":\"cyd\"}"};

    StreamLoadTestServer server;

    abstract Flavor flavor();

    @BeforeEach
    void startServer() {
        server = StreamLoadTestServer.start(flavor());
        server.createTable(DB, TABLE, "id BIGINT NOT NULL", "name VARCHAR(64)");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** The requests, FE's and BE's, whose path ends with {@code pathEnd}, oldest first. */
    List<RecordedRequest> requestsTo(String pathEnd) {
        return server.requests().stream().filter(r -> r.path().endsWith(pathEnd)).toList();
    }

    /** The last request the BE received on a path ending with {@code pathEnd}. */
    RecordedRequest lastBeRequestTo(String pathEnd) {
        return requestsTo(pathEnd).stream().filter(r -> r.endpoint().equals("be")).reduce((a, b) -> b).orElseThrow();
    }
}
