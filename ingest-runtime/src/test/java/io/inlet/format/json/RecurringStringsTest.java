package io.inlet.format.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RecurringStringsTest {

    @Test
    void aRecurringValueReusesItsStringAndEveryValueReadsBackExactly() {
        RecurringStrings strings = new RecurringStrings(2);
        String first = of(strings, 0, "xSeattlex", 1, 7);
        assertThat(first).isEqualTo("Seattle");
        assertThat(of(strings, 0, "Seattle", 0, 7)).isSameAs(first);
        assertThat(of(strings, 1, "Seattle", 0, 7)).isEqualTo("Seattle").isNotSameAs(first);
        for (int i = 0; i < 10_000; i++) {
            String value = "v" + (i % 300);
            assertThat(of(strings, 0, value, 0, value.length())).isEqualTo(value);
        }
    }

    @Test
    void valuesThatDoNotRecurStillReadBackExactly() {
        RecurringStrings strings = new RecurringStrings(1);
        for (int i = 0; i < 20_000; i++) {
            String value = "User_" + i;
            assertThat(of(strings, 0, value, 0, value.length())).isEqualTo(value);
        }
        String longValue = "x".repeat(100);
        assertThat(of(strings, 0, longValue, 0, 100)).isEqualTo(longValue);
    }

    private static String of(RecurringStrings strings, int column, String text, int start, int length) {
        return strings.of(column, text.getBytes(StandardCharsets.US_ASCII), start, length);
    }
}
