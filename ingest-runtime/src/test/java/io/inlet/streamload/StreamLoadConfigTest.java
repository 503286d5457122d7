package io.inlet.streamload;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration, header helpers and bodies. */
class StreamLoadConfigTest {

    @Test
    void loadUrlsParseAsTheFlinkConnectorWritesThem() {
        assertThat(StreamLoadConfig.parseLoadUrls("fe1:8030;fe2:8030")).containsExactly(
                URI.create("http://fe1:8030"), URI.create("http://fe2:8030"));
        assertThat(StreamLoadConfig.parseLoadUrls("fe1, fe2:8031")).containsExactly(
                URI.create("http://fe1:8030"), URI.create("http://fe2:8031"));
        assertThat(StreamLoadConfig.parseLoadUrls("https://abc.cloud-app.celerdata.com")).containsExactly(
                URI.create("https://abc.cloud-app.celerdata.com:443"));
        assertThatThrownBy(() -> StreamLoadConfig.parseLoadUrls("ftp://x:21")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamLoadConfig.parseLoadUrls(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConfigurationValidatesAndHidesThePassword() {
        StreamLoadConfig c = StreamLoadConfig.builder().loadUrls("fe:8030").user("u").password("hunter2")
                .database("d").table("t").flavor(Flavor.DORIS).header("format", "json").build();
        assertThat(c.toString()).doesNotContain("hunter2").contains("******").contains("DORIS").contains("format=json");
        assertThat(c.withTable("d2", "t2").table()).isEqualTo("t2");
        assertThat(c.withTable("d2", "t2").password()).isEqualTo("hunter2");
        assertThatThrownBy(() -> StreamLoadConfig.builder().loadUrls("fe:8030").user("u").database("d").table("t")
                .header("Authorization", "x").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamLoadConfig.builder().loadUrls("fe:8030").user("u").database("d/x").table("t")
                .build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(Flavor.parse("CelerData")).isEqualTo(Flavor.STARROCKS);
        assertThat(Flavor.parse("doris")).isEqualTo(Flavor.DORIS);
    }

    @Test
    void delimitersTravelInTheDocumentedHexNotationWhenNeeded() {
        assertThat(StreamLoadHeaders.encodeDelimiter(",")).isEqualTo(",");
        assertThat(StreamLoadHeaders.encodeDelimiter("||")).isEqualTo("||");
        assertThat(StreamLoadHeaders.encodeDelimiter("\t")).isEqualTo("\\x09");
        assertThat(StreamLoadHeaders.encodeDelimiter("\r\n")).isEqualTo("\\x0D0A");
        assertThat(StreamLoadHeaders.encodeDelimiter("\u0001")).isEqualTo("\\x01");
        assertThat(StreamLoadHeaders.encodeDelimiter(" ")).isEqualTo("\\x20");
        assertThat(StreamLoadHeaders.decodeDelimiter("\\x0D0A")).containsExactly('\r', '\n');
        assertThat(StreamLoadHeaders.decodeDelimiter("|")).containsExactly('|');
        assertThat(new String(StreamLoadHeaders.decodeDelimiter(StreamLoadHeaders.encodeDelimiter("丨")),
                StandardCharsets.UTF_8)).isEqualTo("丨");
    }

    @Test
    void theHeaderBuilderKnowsEachFlavorsNames() {
        Map<String, String> sr = StreamLoadHeaders.builder(Flavor.STARROCKS).csv(",", "\n").columns("a,b")
                .where("a > 1").timezone("UTC").strictMode(true).maxFilterRatio(0.1).build();
        assertThat(sr).containsEntry("format", "csv").containsEntry("column_separator", ",")
                .containsEntry("row_delimiter", "\\x0A").containsEntry("columns", "a,b").containsEntry("where", "a > 1")
                .containsEntry("timezone", "UTC").containsEntry("strict_mode", "true")
                .containsEntry("max_filter_ratio", "0.1");
        Map<String, String> doris = StreamLoadHeaders.builder(Flavor.DORIS).csv(",", "\n").build();
        assertThat(doris).containsEntry("line_delimiter", "\\x0A").doesNotContainKey("row_delimiter");
        assertThat(StreamLoadHeaders.builder(Flavor.DORIS).json("[\"$.a\"]", "$.data", false, true).build())
                .containsEntry("read_json_by_line", "true").containsEntry("json_root", "$.data");
        assertThat(StreamLoadHeaders.builder(Flavor.STARROCKS).json(null, null, true, true).build())
                .containsEntry("strip_outer_array", "true").doesNotContainKey("read_json_by_line");
        assertThatThrownBy(() -> StreamLoadHeaders.builder(Flavor.DORIS).maxFilterRatio(2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamLoadHeaders.builder(Flavor.DORIS).put("label", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void joinedRecordsStreamWithoutACopyOfTheBatch() throws Exception {
        List<byte[]> records = List.of(bytes("{\"a\":1}"), bytes("{\"a\":2}"), bytes("{\"a\":3}"));
        assertThat(read(StreamLoadBody.joined(records, bytes("["), bytes(","), bytes("]"))))
                .isEqualTo("[{\"a\":1},{\"a\":2},{\"a\":3}]");
        assertThat(read(StreamLoadBody.joined(records, null, bytes("\n"), bytes("\n"))))
                .isEqualTo("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
        assertThat(read(StreamLoadBody.joined(List.of(), bytes("["), bytes(","), bytes("]")))).isEqualTo("[]");
        assertThat(read(StreamLoadBody.joined(List.of(bytes("x")), null, bytes(","), null))).isEqualTo("x");
        assertThat(StreamLoadBody.joinedLength(records, bytes("["), bytes(","), bytes("]"))).isEqualTo(25);
        // byte at a time gives the same
        try (InputStream in = StreamLoadBody.joined(records, bytes("["), bytes(","), bytes("]")).open()) {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                sb.append((char) b);
            }
            assertThat(sb.toString()).isEqualTo("[{\"a\":1},{\"a\":2},{\"a\":3}]");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(StreamLoadBody body) throws Exception {
        try (InputStream in = body.open()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[3];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
