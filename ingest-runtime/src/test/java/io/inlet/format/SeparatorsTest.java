package io.inlet.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeparatorsTest {

    @Test
    void escapesAsWrittenInSql() {
        assertThat(Separators.decode("\\t")).containsExactly(0x09);
        assertThat(Separators.decode("\\n")).containsExactly(0x0a);
        assertThat(Separators.decode("\\r\\n")).containsExactly(0x0d, 0x0a);
        assertThat(Separators.decode("\\x01")).containsExactly(0x01);
        assertThat(Separators.decode("\\X1f")).containsExactly(0x1f);
        assertThat(Separators.decode("\\x0102")).containsExactly(0x01, 0x02);
        assertThat(Separators.decode("\\x01\\x02")).containsExactly(0x01, 0x02);
        assertThat(Separators.decode("a\\x01b")).containsExactly('a', 0x01, 'b');
        assertThat(Separators.decode("\\\\")).containsExactly('\\');
        assertThat(Separators.decode("\\")).containsExactly('\\');
        assertThat(Separators.decode("\\N")).containsExactly('\\', 'N');
    }

    @Test
    void literalAndMultiByte() {
        assertThat(Separators.decode(",")).containsExactly(',');
        assertThat(Separators.decode("|")).containsExactly('|');
        assertThat(Separators.decode("||")).containsExactly('|', '|');
        assertThat(Separators.decode("丨")).isEqualTo("丨".getBytes(StandardCharsets.UTF_8)).hasSize(3);
        assertThat(Separators.decode("\t")).containsExactly(0x09);
    }

    @Test
    void atMostFiftyBytes() {
        assertThat(Separators.decode("x".repeat(50))).hasSize(50);
        assertThat(Separators.decode("丨".repeat(16))).hasSize(48);
        assertThatThrownBy(() -> Separators.decode("x".repeat(51)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("51 bytes");
        assertThatThrownBy(() -> Separators.decode("丨".repeat(17)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 50 bytes");
    }

    @Test
    void rejectsEmptyAndBadHex() {
        assertThatThrownBy(() -> Separators.decode("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Separators.decode(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Separators.decode("\\xZZ"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hex");
        assertThatThrownBy(() -> Separators.decode("\\x1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hex");
    }
}
