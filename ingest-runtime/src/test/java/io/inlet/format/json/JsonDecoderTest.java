package io.inlet.format.json;

import static io.inlet.format.Rows.decode;
import static io.inlet.format.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.format.DecodeException;
import io.inlet.format.Decoder;
import io.inlet.format.DecoderSpec;
import io.inlet.format.Decoders;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDecoderTest {

    private static Decoder paths(String... paths) {
        return paths(null, false, paths);
    }

    private static Decoder paths(String root, boolean strip, String... paths) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < paths.length; i++) {
            names.add("c" + i);
        }
        return Decoders.create(new DecoderSpec("json", names, List.of(paths), root, strip, null, null, null, null,
                false));
    }

    private static Decoder byName(String root, boolean strip, String... columns) {
        return Decoders.create(new DecoderSpec("json", List.of(columns), null, root, strip, null, null, null, null,
                false));
    }

    private static DecodeException failure(Decoder d, String message) {
        List<Object[]> emitted = new ArrayList<>();
        DecodeException[] caught = new DecodeException[1];
        try {
            d.decode(message.getBytes(StandardCharsets.UTF_8), emitted::add);
        } catch (DecodeException e) {
            caught[0] = e;
        }
        assertThat(caught[0]).as("DecodeException for %s", message).isNotNull();
        assertThat(emitted).as("rows emitted before the failure").isEmpty();
        assertThat(caught[0].reason()).isEqualTo(caught[0].getMessage());
        return caught[0];
    }

    // ---------------------------------------------------------------- seeds

    @Test
    void seed001ConfluentUsersMessage() throws Exception {
        // jsonpaths of seed 001; COLUMNS(userid, regionid, gender, registertime, dt=...) gives 4 source columns
        Decoder d = Decoders.create(new DecoderSpec("json", List.of("userid", "regionid", "gender", "registertime"),
                List.of("$.userid", "$.regionid", "$.gender", " $.registertime"), null, false, null, null, null,
                null, false));
        String message = """
                {
                    "registertime": 1493987388929,
                    "userid": "User_3",
                    "regionid": "Region_8",
                    "gender": "OTHER"
                }
                """;
        assertThat(d.columnCount()).isEqualTo(4);
        assertThat(decode(d, message)).containsExactly(row("User_3", "Region_8", "OTHER", 1493987388929L));
    }

    @Test
    void seed000OrderJsonPaths() throws Exception {
        Decoder d = Decoders.create(new DecoderSpec("json",
                List.of("commodity_id", "customer_name", "country", "pay_time", "price"),
                List.of("$.commodity_id", "$.customer_name", "$.country", "$.pay_time", "$.price"), null, false,
                null, null, null, null, false));
        assertThat(decode(d, "{\"commodity_id\": \"1\", \"customer_name\": \"Mark Twain\", \"country\": \"US\","
                + "\"pay_time\": 1589191487, \"price\": 875}"))
                .containsExactly(row("1", "Mark Twain", "US", 1589191487L, 875L));
        // keys in another order, one missing, one extra
        assertThat(decode(d, "{\"price\": 895.5, \"extra\": {\"x\": [1, 2]}, \"country\": \"UK\","
                + "\"customer_name\": \"Mr. Jones\", \"commodity_id\": \"2\"}"))
                .containsExactly(row("2", "Mr. Jones", "UK", null, new BigDecimal("895.5")));
    }

    // ---------------------------------------------------------------- paths

    @Test
    void nestedPathsArrayIndexQuotedKeysAndRoot() throws Exception {
        Decoder d = paths("$.a.b", "$.arr[0]", "$.arr[2].x", "$['key with space']", "$[\"q\"]", "$.m[1][0]",
                "$.a.missing", "$.arr[9]");
        String msg = "{\"a\": {\"b\": \"deep\", \"c\": 1}, \"arr\": [10, 20, {\"x\": true}],"
                + " \"key with space\": \"spaced\", \"q\": null, \"m\": [[1], [2, 3]]}";
        assertThat(decode(d, msg)).containsExactly(row("deep", 10L, true, "spaced", null, 2L, null, null));
    }

    @Test
    void pathsThroughWrongTypesAreNull() throws Exception {
        Decoder d = paths("$.a.b", "$.s[0]", "$.o[0]", "$.n.x");
        assertThat(decode(d, "{\"a\": [1], \"s\": \"str\", \"o\": {\"0\": 1}, \"n\": null}"))
                .containsExactly(row(null, null, null, null));
    }

    @Test
    void rootPathIsTheWholeObjectAsCompactText() throws Exception {
        Decoder d = paths("$", "$.a", "$.o", "$.o.k");
        assertThat(decode(d, "{ \"a\" : 1 ,\n \"o\" : { \"k\" : [ 1.50 , \"x\" ] } }"))
                .containsExactly(row("{\"a\":1,\"o\":{\"k\":[1.50,\"x\"]}}", 1L, "{\"k\":[1.50,\"x\"]}",
                        "[1.50,\"x\"]"));
    }

    @Test
    void samePathInTwoColumns() throws Exception {
        Decoder d = paths("$.a", "$.b", "$.a");
        assertThat(decode(d, "{\"a\": \"x\", \"b\": 2}")).containsExactly(row("x", 2L, "x"));
    }

    // ---------------------------------------------------------------- values

    @Test
    void bigIntegers() throws Exception {
        Decoder d = paths("$.a", "$.b", "$.c", "$.d", "$.e");
        List<List<Object>> rows = decode(d, "{\"a\": 9223372036854775807, \"b\": 9223372036854775808,"
                + " \"c\": -9223372036854775809, \"d\": 123456789012345678901234567890, \"e\": -0}");
        assertThat(rows).containsExactly(row(Long.MAX_VALUE, new BigInteger("9223372036854775808"),
                new BigInteger("-9223372036854775809"), new BigInteger("123456789012345678901234567890"), 0L));
        assertThat(rows.get(0).get(0)).isInstanceOf(Long.class);
    }

    @Test
    void decimalsAreExact() throws Exception {
        Decoder d = paths("$.a", "$.b", "$.c", "$.d", "$.e");
        List<List<Object>> rows = decode(d, "{\"a\": 0.1, \"b\": 1.10, \"c\": 12345678901234567890.123456789012345,"
                + " \"d\": 1e3, \"e\": -2.5E-3}");
        assertThat(rows.get(0)).containsExactly(new BigDecimal("0.1"), new BigDecimal("1.10"),
                new BigDecimal("12345678901234567890.123456789012345"), new BigDecimal("1e3"),
                new BigDecimal("-2.5E-3"));
        assertThat(((BigDecimal) rows.get(0).get(1)).scale()).isEqualTo(2);
    }

    @Test
    void stringsBooleansNullsAndUnicode() throws Exception {
        Decoder d = paths("$.s", "$.t", "$.f", "$.n", "$.u", "$.esc");
        assertThat(decode(d, "{\"s\": \"\", \"t\": true, \"f\": false, \"n\": null, \"u\": \"丨é😀\","
                + " \"esc\": \"a\\\"b\\\\c\\n\\u0041\"}"))
                .containsExactly(row("", true, false, null, "丨é😀", "a\"b\\c\nA"));
    }

    @Test
    void objectsAndArraysAsCompactJsonText() throws Exception {
        Decoder d = paths("$.o", "$.arr", "$.empty", "$.e2");
        assertThat(decode(d, "{\"o\": {\"x\": 1.50, \"y\": [1, \"two\", null, true, {\"z\": \"q\\\"\"}]},"
                + " \"arr\": [ ], \"empty\": { }, \"e2\": [[],{}]}"))
                .containsExactly(row("{\"x\":1.50,\"y\":[1,\"two\",null,true,{\"z\":\"q\\\"\"}]}", "[]", "{}",
                        "[[],{}]"));
    }

    // ---------------------------------------------------------------- json_root / strip_outer_array

    @Test
    void stripOuterArrayMakesEachElementARow() throws Exception {
        Decoder d = paths(null, true, "$.id", "$.city");
        assertThat(decode(d, "[{\"id\": 1, \"city\": \"beijing\"}, {\"id\": 2, \"city\": \"shanghai\"}, {}]"))
                .containsExactly(row(1L, "beijing"), row(2L, "shanghai"), row(null, null));
        assertThat(decode(d, "[]")).isEmpty();
    }

    @Test
    void jsonRootWithStripOuterArray() throws Exception {
        Decoder d = paths("$.RECORDS", true, "$.category", "$.author");
        String msg = "{\"meta\": {\"n\": 2}, \"RECORDS\": [{\"category\": \"11\", \"author\": \"4avc\"},"
                + " {\"category\": \"22\", \"author\": \"EFG\", \"price\": 12.5}], \"after\": [1, {\"x\": 2}]}";
        assertThat(decode(d, msg)).containsExactly(row("11", "4avc"), row("22", "EFG"));
    }

    @Test
    void jsonRootWithoutStripOuterArray() throws Exception {
        Decoder d = paths("$.data.item", false, "$.k", "$.v");
        assertThat(decode(d, "{\"x\": 1, \"data\": {\"item\": {\"k\": \"key\", \"v\": 7}}}"))
                .containsExactly(row("key", 7L));
        Decoder indexed = paths("$.data[1]", false, "$.k");
        assertThat(decode(indexed, "{\"data\": [{\"k\": 1}, {\"k\": 2}]}")).containsExactly(row(2L));
        Decoder byName = byName("$.payload", false, "K", "v");
        assertThat(decode(byName, "{\"payload\": {\"k\": \"a\", \"V\": \"b\"}}")).containsExactly(row("a", "b"));
    }

    @Test
    void jsonRootAndStripOuterArrayErrors() {
        assertThat(failure(paths(null, false, "$.a"), "[{\"a\": 1}]").reason())
                .isEqualTo("JSON data is an array, strip_outer_array must be set true");
        assertThat(failure(paths("$.d", false, "$.a"), "{\"d\": [{\"a\": 1}]}").reason())
                .isEqualTo("JSON data is an array, strip_outer_array must be set true");
        assertThat(failure(paths(null, true, "$.a"), "{\"a\": 1}").reason())
                .isEqualTo("strip_outer_array is true but the JSON data is an object, not an array");
        assertThat(failure(paths("$.d", true, "$.a"), "{\"d\": {\"a\": 1}}").reason())
                .isEqualTo("strip_outer_array is true but json_root $.d is an object, not an array");
        assertThat(failure(paths("$.d", false, "$.a"), "{\"e\": {\"a\": 1}}").reason())
                .isEqualTo("json_root $.d not found in the message");
        assertThat(failure(paths("$.d", false, "$.a"), "{\"d\": 5}").reason())
                .isEqualTo("json_root $.d is a number, expected a JSON object");
        // rows before a bad element are not emitted
        assertThat(failure(paths(null, true, "$.a"), "[{\"a\": 1}, 2, {\"a\": 3}]").reason())
                .isEqualTo("array element 2 is a number, expected a JSON object");
        assertThat(failure(paths(null, true, "$.a"), "[{\"a\": 1}, {\"a\": 2}").reason())
                .isEqualTo("malformed JSON at byte 19: unexpected end-of-input: expected close marker for Array");
    }

    // ---------------------------------------------------------------- matching by name

    @Test
    void withoutJsonPathsKeysMatchColumnsCaseInsensitively() throws Exception {
        Decoder d = byName(null, false, "UserId", "REGIONID", "gender", "missing", "nested");
        assertThat(decode(d, "{\"userid\": \"User_3\", \"RegionId\": \"Region_8\", \"extra\": [1, {\"a\": 2}],"
                + " \"gender\": \"OTHER\", \"nested\": {\"a\": [1, 2]}}"))
                .containsExactly(row("User_3", "Region_8", "OTHER", null, "{\"a\":[1,2]}"));
        // same decoder again: the case-insensitive resolutions are cached, values reset
        assertThat(decode(d, "{\"USERID\": \"u\", \"gender\": null}"))
                .containsExactly(row("u", null, null, null, null));
        Decoder strip = byName(null, true, "id");
        assertThat(decode(strip, "[{\"ID\": 1}, {\"Id\": 2}, {\"other\": 3}]"))
                .containsExactly(row(1L), row(2L), row((Object) null));
    }

    @Test
    void manyDistinctKeysDoNotBreakTheNameCache() throws Exception {
        Decoder d = byName(null, false, "k");
        for (int i = 0; i < 10_000; i++) {
            assertThat(decode(d, "{\"key" + i + "\": 1, \"K\": " + i + "}")).containsExactly(row((long) i));
        }
    }

    // ---------------------------------------------------------------- malformed input

    @Test
    void truncatedInput() {
        Decoder d = paths("$.a");
        assertThat(failure(d, "{\"a\": 1").reason())
                .isEqualTo("malformed JSON at byte 7: unexpected end-of-input: expected close marker for Object");
        assertThat(failure(d, "{\"a\": \"abc").reason()).startsWith("malformed JSON at byte 10: ");
        assertThat(failure(d, "{\"a\":").reason()).startsWith("malformed JSON at byte 5: ");
    }

    @Test
    void unexpectedCharacterNamesTheByte() {
        Decoder d = paths("$.a");
        assertThat(failure(d, "{\"a\": 1,,}").reason()).startsWith("malformed JSON at byte 8: unexpected character ','");
        assertThat(failure(d, "{a: 1}").reason()).startsWith("malformed JSON at byte 1: unexpected character 'a'");
    }

    @Test
    void trailingGarbage() {
        Decoder d = paths("$.a");
        assertThat(failure(d, "{\"a\": 1} x").reason()).startsWith("malformed JSON at byte ");
        assertThat(failure(d, "{\"a\": 1}{\"a\": 2}").reason())
                .isEqualTo("malformed JSON at byte 8: unexpected data after the end of the JSON value");
        assertThat(failure(d, "{\"a\": 1}]").reason()).startsWith("malformed JSON at byte 8: ");
    }

    @Test
    void notAnObjectOrArray() {
        Decoder d = paths("$.a");
        assertThat(failure(d, "42").reason()).isEqualTo("expected a JSON object or array, found number");
        assertThat(failure(d, "\"str\"").reason()).isEqualTo("expected a JSON object or array, found string");
        assertThat(failure(d, "null").reason()).isEqualTo("expected a JSON object or array, found null");
        assertThat(failure(d, "true").reason()).isEqualTo("expected a JSON object or array, found boolean");
        assertThat(failure(d, "").reason()).isEqualTo("empty JSON message");
        assertThat(failure(d, "   ").reason()).isEqualTo("empty JSON message");
        assertThat(failure(d, "hello").reason()).startsWith("malformed JSON at byte ");
    }

    @Test
    void otherBadInputIsADecodeException() {
        Decoder d = paths("$.a", "$.b");
        assertThat(failure(d, "{\"a\": 01}").reason()).startsWith("malformed JSON at byte ");
        assertThat(failure(d, "{\"a\": NaN}").reason()).startsWith("malformed JSON at byte ");
        assertThat(failure(d, "{\"a\": \"x\ny\"}").reason()).startsWith("malformed JSON at byte ");
        assertThat(failure(d, "{\"a\": 1" + "0".repeat(2000) + "}").reason()).startsWith("malformed JSON");
        assertThat(failure(d, "{\"b\": " + "[".repeat(5000) + "]".repeat(5000) + "}").reason()).startsWith("malformed JSON");
        // invalid UTF-8 inside a string that is extracted, and inside one that is skipped
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> d.decode(bad, v -> { })).isInstanceOf(DecodeException.class)
                .hasMessageStartingWith("malformed JSON at byte ");
        assertThatThrownBy(() -> d.decode(null, v -> { })).isInstanceOf(DecodeException.class);
    }

    // ---------------------------------------------------------------- reuse

    @Test
    void decoderIsReusableAcrossMessagesIncludingFailures() throws Exception {
        Decoder d = paths(null, true, "$.a", "$.b.c");
        Object[][] seen = new Object[1][];
        List<Object> firstValues = new ArrayList<>();
        d.decode("[{\"a\": 1, \"b\": {\"c\": \"x\"}}]".getBytes(StandardCharsets.UTF_8), v -> {
            seen[0] = v;
            firstValues.addAll(List.of(v));
        });
        assertThat(firstValues).containsExactly(1L, "x");
        assertThatThrownBy(() -> d.decode("[{\"a\": 2}, oops]".getBytes(StandardCharsets.UTF_8), v -> { }))
                .isInstanceOf(DecodeException.class);
        // values from earlier messages never leak into later rows
        assertThat(decode(d, "[{\"b\": 5}, {\"a\": 3}]")).containsExactly(row(null, null), row(3L, null));
        assertThat(decode(d, "[{\"a\": 4, \"b\": {\"c\": null}}]")).containsExactly(row(4L, null));
        List<Object[]> arrays = new ArrayList<>();
        d.decode("[{\"a\": 1}]".getBytes(StandardCharsets.UTF_8), arrays::add);
        assertThat(arrays.get(0)).isSameAs(seen[0]); // the row array is reused
        assertThat(d.columnCount()).isEqualTo(2);
    }
}
