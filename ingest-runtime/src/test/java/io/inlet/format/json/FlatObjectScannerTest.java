package io.inlet.format.json;

import io.inlet.format.DecodeException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast path gives exactly what the streaming parser gives, on valid and malformed messages alike. */
class FlatObjectScannerTest {

    private static final List<String> KEYS = List.of("id", "name", "score", "ok", "tags", "Nested", "ünï");

    @Test
    void agreesWithTheStreamingPathOnRandomMessages() throws Exception {
        JsonDecoder byPath = JsonDecoder.withJsonPaths(List.of(JsonPath.parse("$.id"), JsonPath.parse("$.name"),
                JsonPath.parse("$.score"), JsonPath.parse("$.ok")), null, false);
        JsonDecoder byName = JsonDecoder.byName(List.of("ID", "name", "Score", "ok", "ünï"), null, false);
        SplittableRandom random = new SplittableRandom(20261121);
        int fastOnes = 0;
        for (int i = 0; i < 20_000; i++) {
            String json = randomMessage(random);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(5) == 0) {
                bytes = corrupt(bytes, random);
            }
            for (JsonDecoder d : List.of(byPath, byName)) {
                String fast = outcome(d, bytes);
                String slow = outcome(d.streamingOnly(), bytes);
                assertThat(fast).as("message %s", new String(bytes, StandardCharsets.UTF_8)).isEqualTo(slow);
                fastOnes += fast.startsWith("rows") ? 1 : 0;
            }
        }
        assertThat(fastOnes).isGreaterThan(10_000);
    }

    @Test
    void keysRememberedFromThePreviousMessageNeverStandInForOthers() throws Exception {
        JsonDecoder byPath = JsonDecoder.withJsonPaths(List.of(JsonPath.parse("$.id"), JsonPath.parse("$.name")), null, false);
        List<String> messages = List.of("{\"\u0000\":1}", "{\"id\":1,\"name\":\"a\"}", "{\"id\":2,\"name\":\"b\"}",
                "{\"idx\":3,\"name\":\"c\"}", "{\"i\":4,\"name\":\"d\"}", "{\"name\":5,\"id\":\"e\"}",
                "{\"id\\u0000\":6}", "{\"\u0000\":7}", "{\"id\":8}", "{\"id\"", "{\"id");
        for (String json : messages) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(byPath, bytes)).as(json).isEqualTo(outcome(byPath.streamingOnly(), bytes));
        }
    }

    private static String outcome(JsonDecoder d, byte[] message) {
        List<String> rows = new ArrayList<>();
        try {
            d.decode(message, row -> rows.add(Arrays.deepToString(Arrays.stream(row)
                    .map(v -> v == null ? "null" : v.getClass().getSimpleName() + ":" + v).toArray())));
            return "rows " + rows;
        } catch (DecodeException e) {
            return "error " + e.reason();
        }
    }

    private static String randomMessage(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(r.nextBoolean() ? "{" : " {\n");
        int fields = r.nextInt(7);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                sb.append(r.nextBoolean() ? "," : " , ");
            }
            String key = KEYS.get(r.nextInt(KEYS.size()));
            if (r.nextInt(10) == 0) {
                key = key.toUpperCase();
            }
            sb.append('"').append(key).append("\":").append(r.nextBoolean() ? "" : " ").append(randomValue(r, 0));
        }
        return sb.append(r.nextBoolean() ? "}" : "} \n").toString();
    }

    private static String randomValue(SplittableRandom r, int depth) {
        return switch (r.nextInt(depth > 2 ? 9 : 11)) {
            case 0 -> String.valueOf(r.nextLong());
            case 1 -> String.valueOf(r.nextInt(1000) - 500);
            case 2 -> r.nextBoolean() ? (r.nextInt(2000) - 1000) / 8.0 + "" : randomDecimal(r);
            case 3 -> "1.5e" + (r.nextInt(10) - 5);
            case 4 -> "\"" + "abc def".substring(0, r.nextInt(7)) + "\"";
            case 5 -> "\"caf\u00e9 \u4e2d\u6587\"";
            case 6 -> "\"with \\\"escape\\\" \\u00e9\"";
            case 7 -> r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null";
            case 8 -> "123456789012345678901234";
            case 9 -> "{\"a\": " + randomValue(r, depth + 1) + ", \"b\": [1, 2, " + randomValue(r, depth + 1) + "]}";
            default -> "[" + randomValue(r, depth + 1) + ", {}, []]";
        };
    }

    /** A plain decimal of 1 to 24 digits, around the 18 that fit a long, sometimes negative or with zeros. */
    private static String randomDecimal(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
        if (r.nextInt(4) == 0) {
            sb.append('0');
        } else {
            sb.append(r.nextInt(1, 10));
            for (int i = r.nextInt(12); i > 0; i--) {
                sb.append(r.nextInt(10));
            }
        }
        sb.append('.');
        int fraction = r.nextInt(1, 13);
        for (int i = 0; i < fraction; i++) {
            sb.append(r.nextInt(3) == 0 ? 0 : r.nextInt(10));
        }
        return sb.toString();
    }

    private static byte[] corrupt(byte[] bytes, SplittableRandom r) {
        byte[] out = bytes.clone();
        if (out.length == 0) {
            return out;
        }
        int at = r.nextInt(out.length);
        byte[] junk = {'"', '{', '}', ',', ':', '[', ']', 'x', '\\', '0', ' ', '-'};
        out[at] = junk[r.nextInt(junk.length)];
        return r.nextInt(4) == 0 ? Arrays.copyOf(out, at) : out;
    }
}
