package io.inlet.source.kinesis;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Positions as statements write them and as a job's progress stores them. */
class KinesisShardPositionTest {

    @Test
    void statementValues() {
        assertThat(ShardPosition.parse(" trim_horizon ", ZoneOffset.UTC)).isEqualTo(ShardPosition.trimHorizon());
        assertThat(ShardPosition.parse("LATEST", ZoneOffset.UTC)).isEqualTo(ShardPosition.latest());
        assertThat(ShardPosition.parse("49590338271490256608559692538361571095921575989136588898", ZoneOffset.UTC))
                .isEqualTo(ShardPosition.atSequence("49590338271490256608559692538361571095921575989136588898"));
        assertThat(ShardPosition.parse("2026-01-01 08:00:00", ZoneId.of("Asia/Shanghai")))
                .isEqualTo(ShardPosition.atTimestamp(Instant.parse("2026-01-01T00:00:00Z")));
        assertThatThrownBy(() -> ShardPosition.parse("EARLIEST", ZoneOffset.UTC))
                .hasMessageContaining("expected TRIM_HORIZON, LATEST, a sequence number or a time");
    }

    @Test
    void progressRoundTrips() {
        for (ShardPosition p : new ShardPosition[] {ShardPosition.trimHorizon(), ShardPosition.latest(),
                ShardPosition.shardEnd(), ShardPosition.atSequence("12"), ShardPosition.afterSequence("34"),
                ShardPosition.atTimestamp(Instant.parse("2026-03-01T10:15:30.123Z"))}) {
            assertThat(ShardPosition.parse(p.toString(), ZoneOffset.UTC)).as(p.toString()).isEqualTo(p);
        }
        assertThat(ShardPosition.afterSequence("34")).hasToString("AFTER_SEQUENCE_NUMBER 34");
    }

    @Test
    void invalidCombinationsAreRejected() {
        assertThatThrownBy(() -> new ShardPosition(ShardPosition.Kind.AT_SEQUENCE_NUMBER, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardPosition.afterSequence("12a")).hasMessageContaining("decimal digits");
        assertThatThrownBy(() -> new ShardPosition(ShardPosition.Kind.LATEST, null, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamByNameOrArn() {
        assertThat(StreamRef.of(" clicks ")).isEqualTo(new StreamRef("clicks", null));
        StreamRef arn = StreamRef.of("arn:aws:kinesis:eu-west-1:123456789012:stream/clicks");
        assertThat(arn.name()).isEqualTo("clicks");
        assertThat(arn.byArn()).isTrue();
        assertThat(arn).hasToString("'clicks' (arn:aws:kinesis:eu-west-1:123456789012:stream/clicks)");
    }
}
