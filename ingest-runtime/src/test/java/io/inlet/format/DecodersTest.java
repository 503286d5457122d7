package io.inlet.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DecodersTest {

    private static DecoderSpec csv(String sep, String enclose, String escape) {
        return new DecoderSpec("csv", List.of("a", "b"), null, null, false, sep, null, enclose, escape, false);
    }

    @Test
    void buildsEachFormat() {
        Decoder json = Decoders.create(new DecoderSpec("JSON", List.of("a", "b", "c"), List.of("$.a", "$.b"), null,
                false, null, null, null, null, false));
        assertThat(json.columnCount()).isEqualTo(2);
        Decoder byName = Decoders.create(new DecoderSpec("json", List.of("a", "b", "c"), null, null, false, null,
                null, null, null, false));
        assertThat(byName.columnCount()).isEqualTo(3);
        assertThat(Decoders.create(csv(null, null, null)).columnCount()).isEqualTo(2);
    }

    @Test
    void rejectsBadSpecs() {
        assertThatThrownBy(() -> Decoders.create(new DecoderSpec("avro", List.of("a"), null, null, false, null,
                null, null, null, false))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format avro needs a schema registry");
        assertThatThrownBy(() -> Decoders.create(new DecoderSpec("xml", List.of("a"), null, null, false, null,
                null, null, null, false))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported format 'xml': expected json, csv or avro");
        assertThatThrownBy(() -> Decoders.create(csv("x".repeat(51), null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column separator").hasMessageContaining("50 bytes");
        assertThatThrownBy(() -> Decoders.create(new DecoderSpec("csv", List.of("a"), null, null, false, null,
                "\\x" + "0a".repeat(51), null, null, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row delimiter");
        assertThatThrownBy(() -> Decoders.create(csv(",", "ab", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("enclose must be a single byte");
        assertThatThrownBy(() -> Decoders.create(csv(",", "丨", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> Decoders.create(csv(",", null, "\\\\\\\\")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("escape must be a single byte");
        assertThatThrownBy(() -> Decoders.create(csv(",", ",", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
        assertThatThrownBy(() -> Decoders.create(csv("\\n", null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
        assertThatThrownBy(() -> Decoders.create(new DecoderSpec("csv", List.of(), null, null, false, null, null,
                null, null, false))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source column");
        assertThatThrownBy(() -> Decoders.create(new DecoderSpec("json", List.of("a"), List.of("$.a[*]"), null,
                false, null, null, null, null, false))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jsonpaths").hasMessageContaining("$.a[*]");
        assertThatThrownBy(() -> Decoders.create(new DecoderSpec("json", List.of("a"), List.of("a.b"), null,
                false, null, null, null, null, false))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with '$'");
        assertThatThrownBy(() -> Decoders.create(new DecoderSpec("json", List.of("a"), null, "$..x", false,
                null, null, null, null, false))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("json_root");
        assertThatThrownBy(() -> Decoders.create(new DecoderSpec("json", List.of("a", "A"), null, null, false,
                null, null, null, null, false))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listed twice");
    }

    @Test
    void encloseAndEscapeAcceptEscapedNotation() throws Exception {
        // escape written in SQL as "\\" (two backslashes) or already unescaped as "\"
        Decoder d1 = Decoders.create(csv(",", "\"", "\\\\"));
        Decoder d2 = Decoders.create(csv(",", "\"", "\\"));
        assertThat(Rows.decode(d1, "a\\,b,c")).containsExactly(Rows.row("a,b", "c"));
        assertThat(Rows.decode(d2, "a\\,b,c")).containsExactly(Rows.row("a,b", "c"));
        Decoder none = Decoders.create(csv(",", "", null));
        assertThat(Rows.decode(none, "\"a,b")).containsExactly(Rows.row("\"a", "b"));
    }
}
