package io.inlet.format.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonShapeTest {

    private static String problem(String message, boolean array) {
        return JsonShape.problem(message.getBytes(StandardCharsets.UTF_8), array);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"registertime\":1493819781491,\"userid\":\"User_9\",\"regionid\":\"Region_5\",\"gender\":\"OTHER\"}",
            "  {\"a\": [1, {\"b\": \"}]{[\"}], \"c\": \"x\"}\r\n\t ",
            "{\"quote\":\"say \\\"hi\\\" } ]\",\"back\":\"C:\\\\\"}",
            "{\"utf8\":\"Zürich – 東京 }\"}",
            "{\"nested\":{\"deep\":{\"deeper\":[[[]]]}}}"})
    void oneObjectPasses(String message) {
        assertThat(problem(message, false)).isNull();
        assertThat(problem(message, true)).isNull();
    }

    @Test
    void anArrayPassesWhereArraysAreAccepted() {
        assertThat(problem("[{\"a\":1},{\"a\":\"]\"}]", true)).isNull();
        assertThat(problem("[{\"a\":1}]", false)).isEqualTo("the message is not a JSON object: it starts with '['");
    }

    @Test
    void eachMalformedMessageSaysWhatIsWrong() {
        assertThat(problem("", false)).isEqualTo("the message is empty");
        assertThat(problem(" \n ", false)).isEqualTo("the message is empty");
        assertThat(problem("hello", true)).isEqualTo("the message is not a JSON object or array: it starts with 'h'");
        assertThat(problem("\u0001{}", false)).isEqualTo("the message is not a JSON object: it starts with '\\x01'");
        assertThat(problem("{\"userid\":\"User_9\",\"regionid\":\"Reg", false))
                .isEqualTo("the message ends inside a JSON string");
        assertThat(problem("{\"userid\":\"User_9\",\"a\":{\"b\":1}", false))
                .isEqualTo("the message ends before its JSON object is closed");
        assertThat(problem("{\"a\":1}{\"a\":2}", false)).isEqualTo("the message has more after its JSON object (at byte 7)");
        assertThat(problem("{\"a\":1}  }", false)).isEqualTo("the message has more after its JSON object (at byte 9)");
        assertThat(problem("[1,2]]", true)).isEqualTo("the message has more after its JSON array (at byte 5)");
        assertThat(problem("{\"escaped quote at the end\":\"\\\"}", false)).isEqualTo("the message ends inside a JSON string");
    }
}
