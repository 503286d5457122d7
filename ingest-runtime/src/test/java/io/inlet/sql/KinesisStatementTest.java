package io.inlet.sql;

import org.junit.jupiter.api.Test;

import static io.inlet.sql.StatementErrorsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** FROM KINESIS as Apache Doris writes it, Inlet's earlier names as aliases, values checked, secrets hidden. */
class KinesisStatementTest {

    /** Asserts the error of {@code sql} at the key {@code at} (its first quoted occurrence). */
    private static void errorAt(String sql, String at, String fragment) {
        assertError(sql, 1, sql.indexOf("'" + at + "'") + 1, fragment);
    }

    private static CreateRoutineLoad create(String from) {
        return (CreateRoutineLoad) GrammarTest.roundTrip("CREATE ROUTINE LOAD db.clicks ON clicks\n"
                + "PROPERTIES (\"format\" = \"json\")\nFROM KINESIS (" + from + ")");
    }

    @Test
    void dorisStatementParsesUnchanged() {
        // the example of Doris' CREATE ROUTINE LOAD ... FROM KINESIS documentation, with every key it names
        CreateRoutineLoad c = create("""
                "aws.region" = "us-east-1",
                "aws.access_key" = "AKIAIOSFODNN7EXAMPLE",
                "aws.secret_key" = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "aws.session_key" = "FwoGZXIvYXdzEXAMPLETOKEN",
                "kinesis_stream" = "my-stream",
                "kinesis_shards" = "shardId-000000000001,shardId-000000000002",
                "kinesis_shards_pos" = "TRIM_HORIZON,49590338271490256608559692538361571095921575989136588898",
                "property.max_records" = "1000"
                """);
        KinesisSourceProperties k = c.kinesis();
        assertThat(k.stream()).isEqualTo("my-stream");
        assertThat(k.region()).isEqualTo("us-east-1");
        assertThat(k.shardPositions()).containsExactly(
                java.util.Map.entry("shardId-000000000001", "TRIM_HORIZON"),
                java.util.Map.entry("shardId-000000000002",
                        "49590338271490256608559692538361571095921575989136588898"));
        assertThat(k.defaultPosition()).isEqualTo("LATEST");
        assertThat(k.clientProperties()).containsExactly(java.util.Map.entry("max_records", "1000"));
        assertThat(k.awsProperties()).containsEntry("aws.session_key", "FwoGZXIvYXdzEXAMPLETOKEN");

        String shown = c.toSqlMasked() + k + c.sourceProperties();
        assertThat(shown).doesNotContain("wJalrXUtnFEMI", "FwoGZXIvYXdz").contains("******", "AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void defaultPositionRoleAndDottedAwsKeys() {
        CreateRoutineLoad c = create("""
                "aws.region" = "eu-west-1",
                "kinesis_stream" = "clicks",
                "property.kinesis_default_pos" = "trim_horizon",
                "aws.role_arn" = "arn:aws:iam::123456789012:role/inlet",
                "aws.external.id" = "ext-1",
                "aws.profile.name" = "prod",
                "aws.credentials_provider" = "PROFILE",
                "aws.endpoint" = "https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com"
                """);
        KinesisSourceProperties k = c.kinesis();
        assertThat(k.defaultPosition()).isEqualTo("TRIM_HORIZON");
        assertThat(k.shards()).isEmpty();
        assertThat(k.clientProperties()).isEmpty();
        assertThat(k.endpoint()).isEqualTo("https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com");
        assertThat(k.awsProperties()).containsEntry("aws.external_id", "ext-1")
                .containsEntry("aws.profile_name", "prod")
                .containsEntry("aws.role_arn", "arn:aws:iam::123456789012:role/inlet");
    }

    @Test
    void inletsEarlierNamesAreAliases() {
        KinesisSourceProperties k = create("""
                "kinesis_stream" = "clicks", "aws.region" = "us-east-1",
                "kinesis_shards" = "shardId-000000000000", "kinesis_positions" = "latest",
                "kinesis_default_position" = "2026-01-01 00:00:00", "kinesis_endpoint" = "http://127.0.0.1:4567",
                "aws.external_id" = "x", "aws.role_arn" = "arn:aws:iam::123456789012:role/r"
                """).kinesis();
        assertThat(k.positions()).containsExactly("LATEST");
        assertThat(k.defaultPosition()).isEqualTo("2026-01-01 00:00:00");
        assertThat(k.endpoint()).isEqualTo("http://127.0.0.1:4567");
        // the quick start of Doris' Kinesis page writes the stream key with an aws. prefix
        assertThat(create("\"aws.kinesis_stream\" = \"s\", \"aws.region\" = \"us-east-1\"").kinesis().stream())
                .isEqualTo("s");
    }

    @Test
    void aStreamArnGivesTheRegion() {
        KinesisSourceProperties k = create(
                "\"kinesis_stream\" = \"arn:aws:kinesis:ap-south-1:123456789012:stream/orders\"")
                .kinesis();
        assertThat(k.region()).isEqualTo("ap-south-1");
        errorAt("CREATE ROUTINE LOAD j ON t FROM KINESIS ('kinesis_stream' = "
                        + "'arn:aws:kinesis:ap-south-1:123456789012:stream/orders', 'aws.region' = 'us-east-1')",
                "aws.region",
                "'aws.region' is us-east-1 but the stream ARN of 'kinesis_stream' is in ap-south-1");
    }

    @Test
    void badValuesAreRejectedNamingTheProperty() {
        String head = "CREATE ROUTINE LOAD j ON t FROM KINESIS ('aws.region' = 'us-east-1', ";
        errorAt(head + "'kinesis_stream' = 'a b')", "kinesis_stream",
                "invalid value 'a b' for property 'kinesis_stream': expected a stream name");
        errorAt(head + "'kinesis_stream' = 'arn:aws:kinesis:us-east-1:1:stream/x')", "kinesis_stream",
                "for property 'kinesis_stream': expected a stream ARN");
        errorAt(head + "'kinesis_stream' = 's', 'kinesis_shards' = 'a,a')", "kinesis_shards",
                "invalid value 'a,a' for property 'kinesis_shards': expected a comma-separated list of distinct "
                        + "shard ids");
        errorAt(head + "'kinesis_stream' = 's', 'kinesis_shards' = 'a', 'kinesis_shards_pos' = 'EARLIEST')",
                "kinesis_shards_pos",
                "invalid value 'EARLIEST' for property 'kinesis_shards_pos': expected comma-separated positions");
        errorAt(head + "'kinesis_stream' = 's', 'kinesis_shards' = 'a,b', 'kinesis_shards_pos' = 'LATEST')",
                "kinesis_shards_pos",
                "'kinesis_shards_pos' has 1 position but 'kinesis_shards' lists 2 shards");
        errorAt(head + "'kinesis_stream' = 's', 'kinesis_shards_pos' = 'LATEST')", "kinesis_shards_pos",
                "property 'kinesis_shards_pos' needs 'kinesis_shards'");
        errorAt(head + "'kinesis_stream' = 's', 'kinesis_shards' = 'a,b', "
                        + "'kinesis_shards_pos' = 'LATEST,2026-01-01 00:00:00')", "kinesis_shards_pos",
                "'kinesis_shards_pos' mixes times with TRIM_HORIZON/LATEST/sequence numbers");
        errorAt(head + "'kinesis_stream' = 's', 'property.kinesis_default_pos' = '12345')",
                "property.kinesis_default_pos",
                "invalid value '12345' for property 'property.kinesis_default_pos': expected TRIM_HORIZON, LATEST or "
                        + "a time 'yyyy-MM-dd HH:mm:ss': a sequence number belongs to one shard");
        errorAt(head + "'kinesis_stream' = 's', 'property.kinesis_default_pos' = '2026-02-30 00:00:00')",
                "property.kinesis_default_pos",
                "for property 'property.kinesis_default_pos'");
        errorAt(head + "'kinesis_stream' = 's', 'aws.endpoint' = 'localhost:4567')", "aws.endpoint",
                "invalid value 'localhost:4567' for property 'aws.endpoint': expected an http:// or https:// URL");
        errorAt("CREATE ROUTINE LOAD j ON t FROM KINESIS ('aws.region' = 'mars', 'kinesis_stream' = 's')", "aws.region",
                "invalid value 'mars' for property 'aws.region': expected an AWS region");
        errorAt(head + "'kinesis_stream' = 's', 'aws.credentials_provider' = 'MAGIC')", "aws.credentials_provider",
                "for property 'aws.credentials_provider': expected one of DEFAULT, ENV");
    }

    @Test
    void missingAndConflictingKeys() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KINESIS ('aws.region' = 'us-east-1')", 1, 28,
                "FROM KINESIS needs 'kinesis_stream'");
        assertError("CREATE ROUTINE LOAD j ON t FROM KINESIS ('kinesis_stream' = 's')", 1, 28,
                "FROM KINESIS needs 'aws.region' (or a stream ARN in 'kinesis_stream')");
        String head = "CREATE ROUTINE LOAD j ON t FROM KINESIS ('aws.region' = 'us-east-1', 'kinesis_stream' = 's', ";
        errorAt(head + "'kinesis_shards' = 'a', 'kinesis_shards_pos' = 'LATEST', 'kinesis_positions' = 'LATEST')",
                "kinesis_positions", "property 'kinesis_positions' gives 'kinesis_shards_pos' again, already given "
                        + "as 'kinesis_shards_pos'");
        errorAt(head + "'aws.external.id' = 'x')", "aws.external.id",
                "property 'aws.external.id' needs 'aws.role_arn' as well");
        errorAt(head + "'aws.session_key' = 'x')", "aws.session_key",
                "property 'aws.session_key' needs 'aws.access_key'");
        errorAt(head + "'aws.secret_key' = 'x')", "aws.secret_key",
                "property 'aws.secret_key' needs 'aws.access_key' as well");
        errorAt(head + "'kafka_topic' = 'x')", "kafka_topic", "unknown property 'kafka_topic' in FROM KINESIS");
        errorAt(head + "'kinesis_shard_pos' = 'x')", "kinesis_shard_pos", "did you mean 'kinesis_shards_pos'?");
    }

    @Test
    void secretsAreMaskedInErrorsAndShow() {
        StatementException e = StatementErrorsTest.error("CREATE ROUTINE LOAD j ON t FROM KINESIS ("
                + "'aws.region' = 'us-east-1', 'kinesis_stream' = 's', 'aws.access_key' = 'AK', "
                + "'aws.secret_key' = 'topsecret', 'aws.session_key' = '')");
        assertThat(e.getMessage()).contains("'aws.session_key'").doesNotContain("topsecret");
        assertThat(new Property("aws.session_key", "tok").toString()).isEqualTo("aws.session_key=******");
    }

    @Test
    void alterResolvesAliases() {
        CreateRoutineLoad job = create("""
                "aws.region" = "us-east-1", "kinesis_stream" = "s",
                "kinesis_shards" = "shardId-000000000000", "kinesis_positions" = "TRIM_HORIZON"
                """);
        AlterRoutineLoad newPositions = (AlterRoutineLoad) SqlParser.parse("ALTER ROUTINE LOAD FOR db.clicks "
                + "FROM KINESIS ('kinesis_shards' = 'shardId-000000000000', 'kinesis_shards_pos' = '123')");
        CreateRoutineLoad merged = job.merge(newPositions);
        assertThat(SqlParser.parse(merged.toSql())).isEqualTo(merged);
        assertThat(merged.kinesis().positions()).containsExactly("123");

        AlterRoutineLoad newShards = (AlterRoutineLoad) SqlParser.parse("ALTER ROUTINE LOAD FOR db.clicks "
                + "FROM KINESIS ('kinesis_shards' = 'shardId-000000000001,shardId-000000000002')");
        CreateRoutineLoad reshaped = job.merge(newShards);
        assertThat(reshaped.kinesis().positions()).isEmpty();
        assertThat(reshaped.kinesis().shardPositions())
                .containsOnlyKeys("shardId-000000000001", "shardId-000000000002");
    }
}
