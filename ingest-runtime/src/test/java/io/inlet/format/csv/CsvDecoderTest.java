package io.inlet.format.csv;

import static io.inlet.format.Rows.decode;
import static io.inlet.format.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.format.DecodeException;
import io.inlet.format.Decoder;
import io.inlet.format.DecoderSpec;
import io.inlet.format.Decoders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvDecoderTest {

    private static final List<String> ORDER_COLUMNS =
            List.of("order_id", "pay_dt", "customer_name", "nationality", "temp_gender", "price");

    private static Decoder csv(int columns, String sep, String rowDelim, String enclose, String escape, boolean trim) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            names.add("c" + i);
        }
        return Decoders.create(new DecoderSpec("csv", names, null, null, false, sep, rowDelim, enclose, escape, trim));
    }

    private static Decoder csv(int columns, String sep) {
        return csv(columns, sep, null, null, null, false);
    }

    private static String failure(Decoder d, String message) {
        List<Object[]> emitted = new ArrayList<>();
        try {
            d.decode(message.getBytes(StandardCharsets.UTF_8), emitted::add);
        } catch (DecodeException e) {
            assertThat(emitted).as("rows emitted before the failure").isEmpty();
            return e.reason();
        }
        throw new AssertionError("no DecodeException for " + message);
    }

    // ---------------------------------------------------------------- seed 000 example 1

    @Test
    void seed000OrdersWithComma() throws Exception {
        // COLUMNS TERMINATED BY ",", COLUMNS (order_id, pay_dt, customer_name, nationality, temp_gender, price)
        Decoder d = Decoders.create(new DecoderSpec("csv", ORDER_COLUMNS, null, null, false, ",", null, null, null,
                false));
        assertThat(d.columnCount()).isEqualTo(6);
        assertThat(decode(d, "2020050802,20200508,Johann Georg Faust,Deutschland,male,895"))
                .containsExactly(row("2020050802", "20200508", "Johann Georg Faust", "Deutschland", "male", "895"));
        assertThat(decode(d, "2020050802,20200508,Johann Georg Faust,Deutschland,male,895\n"
                + "2020050803,20200508,Julien Sorel,France,male,893\n"
                + "2020050804,20200508,Dorian Gray,UK,male,1262\n"))
                .containsExactly(
                        row("2020050802", "20200508", "Johann Georg Faust", "Deutschland", "male", "895"),
                        row("2020050803", "20200508", "Julien Sorel", "France", "male", "893"),
                        row("2020050804", "20200508", "Dorian Gray", "UK", "male", "1262"));
    }

    @Test
    void defaultSeparatorIsCommaAndDefaultDelimiterIsNewline() throws Exception {
        Decoder d = csv(2, null);
        assertThat(decode(d, "a,b\nc,d")).containsExactly(row("a", "b"), row("c", "d"));
    }

    // ---------------------------------------------------------------- separators

    @Test
    void tabSeparator() throws Exception {
        Decoder d = csv(3, "\\t");
        assertThat(decode(d, "1\tTom Smith\t90.5")).containsExactly(row("1", "Tom Smith", "90.5"));
        assertThat(decode(csv(3, "\t"), "1\tTom, Smith\t90.5")).containsExactly(row("1", "Tom, Smith", "90.5"));
    }

    @Test
    void hexSeparator() throws Exception {
        Decoder d = csv(3, "\\x01");
        assertThat(decode(d, "a\u0001b,c\u0001\n")).containsExactly(row("a", "b,c", ""));
    }

    @Test
    void multiCharSeparator() throws Exception {
        Decoder d = csv(3, "||");
        assertThat(decode(d, "a||b|c||d")).containsExactly(row("a", "b|c", "d"));
        assertThat(decode(d, "|||x||")).containsExactly(row("", "|x", ""));
    }

    @Test
    void multiByteUtf8Separator() throws Exception {
        Decoder d = csv(3, "丨");
        assertThat(decode(d, "张三丨北京丨")).containsExactly(row("张三", "北京", ""));
        assertThat(failure(d, "张三丨北京丨丨")).isEqualTo("expected 3 columns, found 4");
        assertThat(decode(csv(3, "丨"), "张三丨北京丨100\n李四丨上海丨")).containsExactly(row("张三", "北京", "100"),
                row("李四", "上海", ""));
        // a separator sharing a lead byte with the data: 丨 is E4 B8 A8, 丁 is E4 B8 81
        assertThat(decode(csv(2, "丨"), "丁丨丁丁")).containsExactly(row("丁", "丁丁"));
    }

    @Test
    void separatorOverFiftyBytesIsRejected() {
        assertThatThrownBy(() -> csv(2, "丨".repeat(17))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("51 bytes");
        assertThat(csv(2, "丨".repeat(16)).columnCount()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- rows

    @Test
    void multiRowMessages() throws Exception {
        Decoder d = csv(2, ",");
        assertThat(decode(d, "a,1\nb,2\nc,3")).containsExactly(row("a", "1"), row("b", "2"), row("c", "3"));
        assertThat(decode(d, "a,1\n")).containsExactly(row("a", "1"));
        assertThat(decode(d, "a,1\n\n\nb,2\n\n")).containsExactly(row("a", "1"), row("b", "2"));
        assertThat(decode(d, "")).isEmpty();
        assertThat(decode(d, "\n")).isEmpty();
        assertThat(decode(d, ",\n,")).containsExactly(row("", ""), row("", ""));
        assertThat(decode(d, "a,1\r\n")).containsExactly(row("a", "1\r"));
    }

    @Test
    void customRowDelimiter() throws Exception {
        Decoder crlf = csv(2, ",", "\\r\\n", null, null, false);
        assertThat(decode(crlf, "a,1\r\nb,2\r\n")).containsExactly(row("a", "1"), row("b", "2"));
        Decoder multi = csv(2, "|", "<EOR>", null, null, false);
        assertThat(decode(multi, "a|1<EOR>b|x<EO<EOR>")).containsExactly(row("a", "1"), row("b", "x<EO"));
        Decoder hex = csv(2, "\\x01", "\\x02", null, null, false);
        assertThat(decode(hex, "a\u00011\u0002b\u0001\n2\u0002")).containsExactly(row("a", "1"), row("b", "\n2"));
    }

    // ---------------------------------------------------------------- enclose / escape / trim

    @Test
    void encloseProtectsSeparatorsAndDelimiters() throws Exception {
        Decoder d = csv(3, ",", null, "\"", null, false);
        assertThat(decode(d, "1,\"Smith, John\",\"line1\nline2\"\n2,\"\",x"))
                .containsExactly(row("1", "Smith, John", "line1\nline2"), row("2", "", "x"));
        Decoder single = csv(2, "||", "\\r\\n", "'", null, false);
        assertThat(decode(single, "'a||b\r\nc'||d\r\n")).containsExactly(row("a||b\r\nc", "d"));
    }

    @Test
    void doubledEncloseIsOneEncloseCharacter() throws Exception {
        Decoder d = csv(2, ",", null, "\"", null, false);
        assertThat(decode(d, "\"a \"\"quoted\"\" c\",\"\"\"\"")).containsExactly(row("a \"quoted\" c", "\""));
        // an enclose character inside an unenclosed field is data
        assertThat(decode(d, "5\"6,x\"y")).containsExactly(row("5\"6", "x\"y"));
        // text after the closing enclose character is kept
        assertThat(decode(d, "\"ab\"cd,e")).containsExactly(row("abcd", "e"));
    }

    @Test
    void unterminatedEncloseIsADecodeException() {
        Decoder d = csv(2, ",", null, "\"", null, false);
        assertThat(failure(d, "a,b\nc,\"d")).isEqualTo("unterminated enclosed field (no closing '\"') in row 2");
    }

    @Test
    void escape() throws Exception {
        Decoder d = csv(3, ",", null, "\"", "\\\\", false);
        // the documented examples: "say \"Hello world\"" and a, b\, c
        assertThat(decode(d, "\"say \\\"Hello world\\\"\",a,b\\, c"))
                .containsExactly(row("say \"Hello world\"", "a", "b, c"));
        assertThat(decode(d, "x\\\\,y\\\nz,\"w\\\\\"")).containsExactly(row("x\\", "y\nz", "w\\"));
        Decoder noEnclose = csv(2, "|", null, null, "\\\\", false);
        assertThat(decode(noEnclose, "a\\|b|c\\")).containsExactly(row("a|b", "c\\"));
    }

    @Test
    void trimSpace() throws Exception {
        // the documented example: | "Love StarRocks" |, | " Love StarRocks " |, | Love StarRocks |
        Decoder d = csv(5, "|", null, "\"", null, true);
        assertThat(decode(d, " 1 | \"Love StarRocks\" | \" Love StarRocks \" | Love StarRocks |   "))
                .containsExactly(row("1", "Love StarRocks", " Love StarRocks ", "Love StarRocks", ""));
        Decoder noTrim = csv(3, "|", null, "\"", null, false);
        assertThat(decode(noTrim, " 1 | \"x\" |\"y\"")).containsExactly(row(" 1 ", " \"x\" ", "y"));
        Decoder trimOnly = csv(2, ",", null, null, null, true);
        assertThat(decode(trimOnly, "  a b  ,  \\N  \n c,d")).containsExactly(row("a b", null), row("c", "d"));
    }

    @Test
    void backslashNIsNullEmptyIsEmpty() throws Exception {
        Decoder d = csv(4, ",", null, "\"", null, false);
        assertThat(decode(d, "a,\\N,,\"\\N\"")).containsExactly(row("a", null, "", "\\N"));
        Decoder escaping = csv(3, ",", null, null, "\\\\", false);
        assertThat(decode(escaping, "\\N,\\\\N,x\\N")).containsExactly(row(null, "\\N", "xN"));
    }

    // ---------------------------------------------------------------- column counts

    @Test
    void wrongColumnCounts() {
        Decoder d = Decoders.create(new DecoderSpec("csv", ORDER_COLUMNS, null, null, false, ",", null, null, null,
                false));
        assertThat(failure(d, "2020050802,20200508,Johann Georg Faust,Deutschland,male"))
                .isEqualTo("expected 6 columns, found 5");
        assertThat(failure(d, "1,2,3,4,5,6,7")).isEqualTo("expected 6 columns, found 7");
        assertThat(failure(d, "1,2,3,4,5,6\n1,2,3\n1,2,3,4,5,6\n")).isEqualTo("expected 6 columns, found 3 in row 2 of 3");
        assertThat(failure(d, "1,2,3,4,5,6\n1,2,3,4,5,6,7,8,9,10,11,12,13,14")).isEqualTo(
                "expected 6 columns, found 14 in row 2 of 2");
        assertThat(failure(csv(2, ","), "a")).isEqualTo("expected 2 columns, found 1");
        Decoder enclosed = csv(2, ",", null, "\"", null, false);
        assertThat(failure(enclosed, "\"a,b\"")).isEqualTo("expected 2 columns, found 1");
    }

    @Test
    void decoderIsReusableAndAtomic() throws Exception {
        Decoder d = csv(2, ",", null, "\"", "\\\\", false);
        assertThat(decode(d, "a,\"b\"\"\"\nc,d")).containsExactly(row("a", "b\""), row("c", "d"));
        assertThat(failure(d, "x,y\nz")).isEqualTo("expected 2 columns, found 1 in row 2 of 2");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            big.append(i).append(",\"v").append(i).append("\"\n");
        }
        List<List<Object>> rows = decode(d, big.toString());
        assertThat(rows).hasSize(1000);
        assertThat(rows.get(999)).containsExactly("999", "v999");
        assertThat(decode(d, "e,f")).containsExactly(row("e", "f"));
    }

    @Test
    void singleColumn() throws Exception {
        Decoder d = csv(1, ",");
        assertThat(decode(d, "a\nb\n\\N\n")).containsExactly(row("a"), row("b"), row((Object) null));
        assertThat(failure(d, "a,b")).isEqualTo("expected 1 columns, found 2");
    }
}
