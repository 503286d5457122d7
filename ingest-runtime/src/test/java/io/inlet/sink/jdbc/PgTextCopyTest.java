package io.inlet.sink.jdbc;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text COPY encoding on its own: the lines PostgreSQL reads (the round trips are in PostgresColumnsTest). */
class PgTextCopyTest {

    private static String encode(List<PgTextCopy.Form> forms, Object[]... rows) throws SQLException {
        PgTextCopy copy = new PgTextCopy(forms, forms.stream().map(f -> "c" + f.ordinal()).toList());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy.start(out::write);
        for (Object[] row : rows) {
            copy.writeRow(row);
        }
        copy.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void valuesInTheirTextFormWithCopysEscapes() throws Exception {
        List<PgTextCopy.Form> forms = List.of(PgTextCopy.Form.TEXT, PgTextCopy.Form.BOOL, PgTextCopy.Form.TEXT,
                PgTextCopy.Form.TEXT, PgTextCopy.Form.TEXT, PgTextCopy.Form.TEXT);
        assertThat(encode(forms,
                new Object[] {"a\tb\nc\\d\re ü😀", true, new BigDecimal("1E+3"), LocalDate.of(2024, 2, 29),
                        LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000), -5L},
                new Object[] {null, false, null, null, null, null}))
                .isEqualTo("a\\tb\\nc\\\\d\\re ü😀\tt\t1000\t2024-02-29\t2024-02-29 23:59:59.123456\t-5\n"
                        + "\\N\tf\t\\N\t\\N\t\\N\t\\N\n");
    }

    @Test
    void aJsonArrayBecomesAnArrayLiteral() throws Exception {
        List<PgTextCopy.Form> forms = List.of(PgTextCopy.Form.ARRAY_FROM_JSON, PgTextCopy.Form.JSON_ARRAY_FROM_JSON,
                PgTextCopy.Form.ARRAY_FROM_JSON);
        assertThat(encode(forms, new Object[] {"[[1, null], [\"a\\\"b\", \"c\\\\d\"]]", "[{\"k\": [1]}, [2], \"s\", null]",
                "{1,2}"}))
                .isEqualTo("{{\"1\",NULL},{\"a\\\\\"b\",\"c\\\\\\\\d\"}}\t{\"{\\\\\"k\\\\\":[1]}\",\"[2]\",\"\\\\\"s\\\\\"\",NULL}\t{1,2}\n");
    }

    @Test
    void anArrayColumnNamesItselfWhenItsValueIsNotAJsonArray() {
        assertThatThrownBy(() -> encode(List.of(PgTextCopy.Form.ARRAY_FROM_JSON), new Object[] {"[1, 2"}))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("column c2 (an array) takes a JSON array");
    }
}
