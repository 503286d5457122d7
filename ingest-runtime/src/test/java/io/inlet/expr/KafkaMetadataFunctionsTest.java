package io.inlet.expr;

import io.inlet.sql.SqlParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** kafka_key(), kafka_header('name'), kafka_timestamp(), kafka_timestamp_type(), kafka_partition(), kafka_offset(). */
class KafkaMetadataFunctionsTest {

    record Message(byte[] key, Map<String, byte[]> headers, long timestamp, String timestampType, int partition,
                   long offset) implements MessageMetadata {
        @Override
        public byte[] header(String name) {
            return headers.get(name);
        }
    }

    static final Message MESSAGE = new Message("User_7".getBytes(StandardCharsets.UTF_8),
            Map.of("source", "web".getBytes(StandardCharsets.UTF_8)), 1_493_987_388_929L, "CreateTime", 2, 41L);

    private static Object eval(String expr, MessageMetadata message, ZoneId zone) {
        CurrentMessage current = new CurrentMessage();
        current.set(message);
        Evaluator ev = ExprCompiler.compile(SqlParser.parseExpression(expr), n -> -1,
                new EvalContext(zone, Clock.systemUTC(), current));
        return ev.eval(new Object[0]);
    }

    private static Object eval(String expr) {
        return eval(expr, MESSAGE, ZoneId.of("UTC"));
    }

    @Test
    void eachFunctionReadsTheCurrentMessage() {
        assertThat(eval("kafka_key()")).isEqualTo("User_7");
        assertThat(eval("kafka_header('source')")).isEqualTo("web");
        assertThat(eval("kafka_header('missing')")).isNull();
        assertThat(eval("kafka_timestamp()")).isEqualTo(LocalDateTime.of(2017, 5, 5, 12, 29, 48, 929_000_000));
        assertThat(eval("kafka_timestamp_type()")).isEqualTo("CreateTime");
        assertThat(eval("kafka_partition()")).isEqualTo(2L);
        assertThat(eval("kafka_offset()")).isEqualTo(41L);
        assertThat(eval("concat(kafka_key(), '@', kafka_partition(), ':', kafka_offset())")).isEqualTo("User_7@2:41");
        assertThat(eval("kafka_header('source') = 'web' AND kafka_offset() > 40")).isEqualTo(true);
    }

    @Test
    void timestampIsInTheJobsTimeZone() {
        assertThat(eval("kafka_timestamp()", MESSAGE, ZoneId.of("Asia/Shanghai")))
                .isEqualTo(LocalDateTime.of(2017, 5, 5, 20, 29, 48, 929_000_000));
        assertThat(eval("unix_timestamp(kafka_timestamp())", MESSAGE, ZoneId.of("Asia/Shanghai")))
                .isEqualTo(1_493_987_388L);
    }

    @Test
    void aMessageWithoutKeyOrTimestampGivesNulls() {
        Message bare = new Message(null, Map.of(), -1, null, 0, 0);
        assertThat(eval("kafka_key()", bare, ZoneId.of("UTC"))).isNull();
        assertThat(eval("kafka_timestamp()", bare, ZoneId.of("UTC"))).isNull();
        assertThat(eval("kafka_timestamp_type()", bare, ZoneId.of("UTC"))).isNull();
        assertThat(eval("kafka_key()", null, ZoneId.of("UTC"))).isNull();
    }

    @Test
    void neverFoldedIntoAConstant() {
        CurrentMessage current = new CurrentMessage();
        Evaluator ev = ExprCompiler.compile(SqlParser.parseExpression("kafka_offset() + 1"), n -> -1,
                new EvalContext(ZoneId.of("UTC"), Clock.systemUTC(), current));
        current.set(MESSAGE);
        assertThat(ev.eval(new Object[0])).isEqualTo(42L);
        current.set(new Message(null, Map.of(), 0, "LogAppendTime", 0, 99));
        assertThat(ev.eval(new Object[0])).isEqualTo(100L);
    }

    @Test
    void wrongArgumentCountsAreCompileErrors() {
        assertThatThrownBy(() -> eval("kafka_header()")).isInstanceOf(ExprException.class)
                .hasMessageContaining("kafka_header").hasMessageContaining("1 argument");
        assertThatThrownBy(() -> eval("kafka_key('x')")).isInstanceOf(ExprException.class);
    }

    @Test
    void callsAreFoundAnywhereInAnExpression() {
        assertThat(KafkaMetadataFunctions.callsIn(SqlParser.parseExpression(
                "CASE WHEN kafka_header('src') IS NULL THEN upper(kafka_key()) ELSE 'x' END")))
                .containsExactly("kafka_header('src')", "kafka_key()");
        assertThat(KafkaMetadataFunctions.callsIn(SqlParser.parseExpression("from_unixtime(ts / 1000)"))).isEmpty();
    }
}
