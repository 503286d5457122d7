package io.inlet.streamload.testserver;

import io.inlet.streamload.Flavor;
import io.inlet.streamload.LabelState;
import io.inlet.streamload.StreamLoadBody;
import io.inlet.streamload.StreamLoadClient;
import io.inlet.streamload.StreamLoadConfig;
import io.inlet.streamload.StreamLoadException;
import io.inlet.streamload.StreamLoadHeaders;
import io.inlet.streamload.StreamLoadResponse;
import io.inlet.streamload.StreamLoadResponse.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test server's documented semantics: header-driven parsing, filtering, the FE's checks, TLS. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamLoadTestServerTest {

    private static final String DB = "db";

    private static StreamLoadClient client(StreamLoadTestServer s, String table) {
        return new StreamLoadClient(s.clientConfig(DB, table).build());
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void csvWithMultiByteSeparatorsNullsAndEmptyStrings(Flavor flavor) throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.start(flavor)) {
            s.createTable(DB, "t", "id BIGINT NOT NULL", "name VARCHAR(16)", "score DOUBLE");
            try (StreamLoadClient c = client(s, "t")) {
                Map<String, String> h = StreamLoadHeaders.builder(flavor).csv("||", "\r\n").build();
                StreamLoadResponse r = c.load("m", h, StreamLoadBody.ofString("1||a||1.5\r\n2||\\N||2\r\n3||||3\r\n"));
                assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.SUCCESS);
                assertThat(s.rows(DB, "t")).extracting(m -> m.get("id") + ":" + m.get("name") + ":" + m.get("score"))
                        .containsExactly("1:a:1.5", "2:null:2.0", "3::3.0");
            }
        }
    }

    @Test
    void aCountingTableCountsJsonRecordsByStructureAcrossReadBuffers() throws Exception {
        StringBuilder array = new StringBuilder("[");
        StringBuilder lines = new StringBuilder();
        int n = 20_000; // about 1.5 MB: strings, escapes and nesting cross the server's 64 KiB reads
        for (int i = 0; i < n; i++) {
            String doc = "{\"id\":" + i + ",\"s\":\"a}{[\\\"]x" + "\\\\".repeat(i % 3) + "\",\"o\":{\"l\":[1,{\"k\":\"]\"}]}}";
            array.append(i > 0 ? "," : "").append(doc);
            lines.append(doc).append('\n');
        }
        array.append(']');
        try (StreamLoadTestServer s = StreamLoadTestServer.start(Flavor.STARROCKS)) {
            s.createCountingTable(DB, "c", "id BIGINT NOT NULL");
            try (StreamLoadClient c = client(s, "c")) {
                Map<String, String> stripped = StreamLoadHeaders.builder(Flavor.STARROCKS).json(null, null, true, false).build();
                assertThat(c.load("a", stripped, StreamLoadBody.ofString(array.toString())).numberLoadedRows()).isEqualTo(n);
                Map<String, String> byLine = StreamLoadHeaders.builder(Flavor.STARROCKS).json(null, null, false, true).build();
                assertThat(c.load("l", byLine, StreamLoadBody.ofString(lines.toString())).numberLoadedRows()).isEqualTo(n);
                assertThat(s.rowCount(DB, "c")).isEqualTo(2L * n);
            }
        }
    }

    @Test
    void newlineDelimitedJsonNeedsReadJsonByLineOnDorisOnly() throws Exception {
        String ndjson = "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n";
        try (StreamLoadTestServer s = StreamLoadTestServer.start(Flavor.STARROCKS)) {
            s.createTable(DB, "t", "id BIGINT NOT NULL", "name VARCHAR(16)");
            try (StreamLoadClient c = client(s, "t")) {
                Map<String, String> h = StreamLoadHeaders.builder(Flavor.STARROCKS).json(null, null, false, true).build();
                assertThat(c.load("j", h, StreamLoadBody.ofString(ndjson)).numberLoadedRows()).isEqualTo(2);
            }
        }
        try (StreamLoadTestServer s = StreamLoadTestServer.start(Flavor.DORIS)) {
            s.createTable(DB, "t", "id BIGINT NOT NULL", "name VARCHAR(16)");
            try (StreamLoadClient c = client(s, "t")) {
                StreamLoadResponse without = c.load("j1", Map.of("format", "json"), StreamLoadBody.ofString(ndjson));
                assertThat(without.outcome()).isEqualTo(Outcome.FAILED);
                assertThat(without.message()).contains("read_json_by_line");
                Map<String, String> h = StreamLoadHeaders.builder(Flavor.DORIS).json(null, null, false, true).build();
                assertThat(c.load("j2", h, StreamLoadBody.ofString(ndjson)).numberLoadedRows()).isEqualTo(2);
                assertThat(s.rowCount(DB, "t")).isEqualTo(2);
            }
        }
    }

    @Test
    void jsonRootSelectsTheRecordsAndAnArrayNeedsStripOuterArray() throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.start(Flavor.STARROCKS)) {
            s.createTable(DB, "t", "id BIGINT NOT NULL", "name VARCHAR(16)");
            try (StreamLoadClient c = client(s, "t")) {
                Map<String, String> rooted = StreamLoadHeaders.builder(Flavor.STARROCKS)
                        .json("[\"$.k\", \"$.v.n\"]", "$.data", true, false).columns("id, name").build();
                StreamLoadResponse r = c.load("root", rooted, StreamLoadBody.ofString(
                        "{\"data\":[{\"k\":1,\"v\":{\"n\":\"x\"}},{\"k\":2,\"v\":{\"n\":\"y\"}}]}"));
                assertThat(r.numberLoadedRows()).as(r.toString()).isEqualTo(2);

                Map<String, String> noStrip = StreamLoadHeaders.builder(Flavor.STARROCKS).json(null, null, false, false)
                        .maxFilterRatio(1).build();
                StreamLoadResponse a = c.load("arr", noStrip, StreamLoadBody.ofString("[{\"id\":3,\"name\":\"z\"}]"));
                assertThat(a.numberFilteredRows()).isEqualTo(1);
                assertThat(a.numberLoadedRows()).isZero();
                assertThat(s.rows(DB, "t")).extracting(m -> m.get("name")).containsExactly("x", "y");
            }
        }
    }

    @Test
    void strictModeFiltersValuesThatDoNotConvertOtherwiseTheyBecomeNull() throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.start(Flavor.STARROCKS)) {
            s.createTable(DB, "t", "id BIGINT NOT NULL", "score BIGINT");
            try (StreamLoadClient c = client(s, "t")) {
                StreamLoadBody body = StreamLoadBody.ofString("1,abc\n2,7\n");
                Map<String, String> lax = StreamLoadHeaders.builder(Flavor.STARROCKS).csv(",", null).build();
                StreamLoadResponse r = c.load("lax", lax, body);
                assertThat(r.numberLoadedRows()).isEqualTo(2);
                Map<String, String> strict = StreamLoadHeaders.builder(Flavor.STARROCKS).csv(",", null).strictMode(true)
                        .maxFilterRatio(0.5).build();
                StreamLoadResponse st = c.load("strict", strict, body);
                assertThat(st.numberLoadedRows()).isEqualTo(1);
                assertThat(st.numberFilteredRows()).isEqualTo(1);
                assertThat(s.rows(DB, "t")).extracting(m -> m.get("id") + ":" + m.get("score"))
                        .containsExactly("1:null", "2:7", "2:7");
            }
        }
    }

    @Test
    void derivedColumnsOfTheSeedsUseTheLoadsTimeZone() throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.start(Flavor.STARROCKS)) {
            s.createTable(DB, "orders", "commodity_id BIGINT NOT NULL", "pay_time BIGINT", "pay_dt VARCHAR(8)");
            s.createTable(DB, "users", "userid VARCHAR(16) NOT NULL", "registertime BIGINT", "dt DATETIME");
            // 2023-11-14T20:00:00Z: the 14th in UTC, the 15th in Asia/Shanghai (the default time zone)
            String order = "[{\"commodity_id\":7,\"pay_time\":1699992000}]";
            try (StreamLoadClient c = client(s, "orders")) {
                Map<String, String> h = StreamLoadHeaders.builder(Flavor.STARROCKS)
                        .json("[\"$.commodity_id\",\"$.pay_time\"]", null, true, false)
                        .columns("commodity_id, pay_time, pay_dt=from_unixtime(pay_time, '%Y%m%d')").build();
                c.load("sh", h, StreamLoadBody.ofString(order)).orThrow();
                h.put("timezone", "UTC");
                c.load("utc", h, StreamLoadBody.ofString(order)).orThrow();
            }
            assertThat(s.rows(DB, "orders")).extracting(m -> m.get("pay_dt")).containsExactly("20231115", "20231114");
            try (StreamLoadClient c = client(s, "users")) {
                Map<String, String> h = StreamLoadHeaders.builder(Flavor.STARROCKS)
                        .json("[\"$.userid\",\"$.registertime\"]", null, false, true)
                        .columns("userid, registertime, dt=from_unixtime(registertime/1000)").build();
                c.load("u", h, StreamLoadBody.ofString("{\"userid\":\"User_1\",\"registertime\":1699992000123}\n")).orThrow();
            }
            assertThat(s.rows(DB, "users")).extracting(m -> String.valueOf(m.get("dt"))).containsExactly("2023-11-15T04:00");
        }
    }

    @Test
    void unselectedRowsDoNotCountTowardsTheFilterRatioAndTheErrorUrlListsFilteredRows() throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.start(Flavor.STARROCKS)) {
            s.createTable(DB, "t", "id BIGINT NOT NULL", "score BIGINT");
            try (StreamLoadClient c = client(s, "t")) {
                StringBuilder body = new StringBuilder("1,100\n2\n");
                for (int i = 3; i < 11; i++) {
                    body.append(i).append(",1\n");
                }
                Map<String, String> h = StreamLoadHeaders.builder(Flavor.STARROCKS).csv(",", null).where("score > 50")
                        .maxFilterRatio(0.4).build();
                StreamLoadResponse r = c.load("ratio", h, StreamLoadBody.ofString(body.toString()));
                assertThat(r.numberUnselectedRows()).isEqualTo(8);
                assertThat(r.numberFilteredRows()).isEqualTo(1);
                assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                HttpURLConnection conn = (HttpURLConnection) new URL(r.errorUrl()).openConnection();
                try (InputStream in = conn.getInputStream()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .contains("actual column number is less than schema column number").contains("Row: 2");
                }
                h.put("max_filter_ratio", "0.5");
                assertThat(c.load("ratio", h, StreamLoadBody.ofString(body.toString())).numberLoadedRows()).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void anUnknownTableIsAPermanentFailure(Flavor flavor) throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.start(flavor)) {
            s.createTable(DB, "t", "id BIGINT NOT NULL");
            try (StreamLoadClient c = client(s, "missing")) {
                StreamLoadResponse r = c.load("x", Map.of(), StreamLoadBody.ofString("1\n"));
                assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.FAILED);
                assertThat(r.message()).containsIgnoringCase("unknown table");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void theFeDemandsExpectContinueAndAnswersLoadStatesInItsFlavorsShape(Flavor flavor) throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.start(flavor)) {
            s.createTable(DB, "t", "id BIGINT NOT NULL");
            String auth = StreamLoadTestServer.basic(s.user(), s.password());
            String put = "PUT /api/db/t/_stream_load HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
                    + "\r\nlabel: raw\r\nContent-Length: 2\r\nConnection: close\r\n\r\n1\n";
            assertThat(raw(s, put)).startsWith("HTTP/1.1 200").contains("There is no 100-continue header");
            try (StreamLoadClient c = client(s, "t")) {
                c.loadPrepared("p", Map.of(), StreamLoadBody.ofString("1\n")).orThrow();
            }
            String get = "GET /api/db/get_load_state?label=p HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
                    + "\r\nConnection: close\r\n\r\n";
            String answer = raw(s, get);
            if (flavor == Flavor.STARROCKS) {
                assertThat(answer).contains("\"state\":\"PREPARED\"").contains("\"status\":\"OK\"");
            } else {
                assertThat(answer).contains("\"data\":\"PRECOMMITTED\"").contains("\"code\":0");
            }
            String noAuth = "GET /api/db/get_load_state?label=p HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            assertThat(raw(s, noAuth)).startsWith("HTTP/1.1 401");
        }
    }

    private static String raw(StreamLoadTestServer s, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.feUrl(0).getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(bo);
            return bo.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aDroppedFeConnectionIsRetriedOnceBeforeTheNextFe() throws Exception {
        try (StreamLoadTestServer s = StreamLoadTestServer.start(Flavor.STARROCKS)) {
            s.createTable(DB, "t", "id BIGINT NOT NULL");
            try (StreamLoadClient c = client(s, "t")) {
                s.dropFrontendConnections(1);
                assertThat(c.load("a", Map.of(), StreamLoadBody.ofString("1\n")).outcome()).isEqualTo(Outcome.SUCCESS);
                s.dropFrontendConnections(2);
                assertThatThrownBy(() -> c.load("b", Map.of(), StreamLoadBody.ofString("2\n")))
                        .isInstanceOfSatisfying(StreamLoadException.class, e -> {
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.outcomeUnknown()).isFalse();
                        });
                assertThat(c.loadState("b")).isEqualTo(LabelState.UNKNOWN);
            }
        }
    }

    @Test
    void loadsWorkOverHttps(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        byte[] out = keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        Certificate cert = ks.getCertificate("server");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientCtx = SSLContext.getInstance("TLS");
        clientCtx.init(null, tmf.getTrustManagers(), null);

        try (StreamLoadTestServer s = StreamLoadTestServer.builder(Flavor.STARROCKS).tls(serverCtx).build()) {
            s.createTable(DB, "t", "id BIGINT NOT NULL");
            assertThat(s.loadUrl()).startsWith("https://");
            StreamLoadConfig cfg = s.clientConfig(DB, "t").sslContext(clientCtx).build();
            try (StreamLoadClient c = new StreamLoadClient(cfg)) {
                StreamLoadResponse r = c.load("tls", Map.of(), StreamLoadBody.ofString("1\n2\n"));
                assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.SUCCESS);
                assertThat(r.endpoint().getScheme()).isEqualTo("https");
                assertThat(c.loadState("tls")).isEqualTo(LabelState.VISIBLE);
            }
            // a client that does not trust the certificate cannot connect: no FE is reachable
            try (StreamLoadClient c = new StreamLoadClient(s.clientConfig(DB, "t").build())) {
                assertThatThrownBy(() -> c.load("untrusted", new HashMap<>(), StreamLoadBody.ofString("3\n")))
                        .isInstanceOfSatisfying(StreamLoadException.class,
                                e -> assertThat(e.getMessage()).contains("no FE could be reached"));
            }
            assertThat(s.rowCount(DB, "t")).isEqualTo(2);
        }
    }
}
