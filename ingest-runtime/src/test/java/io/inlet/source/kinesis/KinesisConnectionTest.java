package io.inlet.source.kinesis;

import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.KinesisSourceProperties;
import io.inlet.sql.SqlParser;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A job's statement to a reading client: endpoint, region, credentials and starting positions. */
class KinesisConnectionTest {

    private static KinesisSourceProperties from(String props) {
        return ((CreateRoutineLoad) SqlParser.parse("CREATE ROUTINE LOAD db.j ON t FROM KINESIS (" + props + ")"))
                .kinesis();
    }

    @Test
    void aStatementReadsFromTheEmulator() throws Exception {
        try (KinesisEmulator moto = KinesisEmulator.startMoto(); var admin = moto.kinesis()) {
            String stream = ReaderTestSupport.newStream(admin, 2);
            ReaderTestSupport.put(admin, stream, "j", 10);
            for (String credentials : new String[] {"", ", 'aws.session_key' = 'FwoGZXIvYXdzEXAMPLE'"}) {
                KinesisSourceProperties p = from("'aws.region' = 'us-east-1', 'kinesis_stream' = '" + stream + "', "
                        + "'aws.endpoint' = '" + moto.endpoint() + "', 'aws.access_key' = 'AKIDEXAMPLE', "
                        + "'aws.secret_key' = 'wJalrEXAMPLE', 'property.kinesis_default_pos' = 'TRIM_HORIZON'"
                        + credentials);
                StartingPositions start = StartingPositions.of(p, ZoneOffset.UTC);
                assertThat(start.shards()).isEmpty();
                assertThat(start.defaultPosition()).isEqualTo(ShardPosition.trimHorizon());
                try (KinesisConnection c = KinesisConnection.open(p, "inlet-db-j")) {
                    KinesisShardReader reader = new KinesisShardReader(c.client(), c.stream(), ReaderTestSupport.FAST);
                    start.applyTo(reader);
                    var got = ReaderTestSupport.readUntil(reader, new ArrayList<>(), l -> l.size() >= 10);
                    ReaderTestSupport.assertEachOnce(got, ReaderTestSupport.texts("j", 10));
                }
            }
        }
    }

    @Test
    void listedShardsStartAtTheirPositions() {
        KinesisSourceProperties p = from("'kinesis_stream' = 'arn:aws:kinesis:us-east-1:123456789012:stream/s', "
                + "'kinesis_shards' = 'shardId-000000000000,shardId-000000000001', "
                + "'kinesis_shards_pos' = '2026-01-01 00:00:00,2026-01-02 00:00:00'");
        StartingPositions start = StartingPositions.of(p, ZoneOffset.ofHours(8));
        assertThat(start.shards()).containsExactly(
                Map.entry("shardId-000000000000", ShardPosition.atTimestamp(Instant.parse("2025-12-31T16:00:00Z"))),
                Map.entry("shardId-000000000001", ShardPosition.atTimestamp(Instant.parse("2026-01-01T16:00:00Z"))));
        assertThat(p.region()).isEqualTo("us-east-1");
    }
}
