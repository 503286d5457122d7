package io.inlet.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Malformed statements: each error names the exact line and column and says what was expected. */
class StatementErrorsTest {

    private static final String KAFKA = "FROM KAFKA (\"kafka_broker_list\" = \"b:9092\", \"kafka_topic\" = \"t\")";

    static StatementException error(String sql) {
        StatementException e = catchThrowableOfType(() -> SqlParser.parse(sql), StatementException.class);
        assertThat(e).as("expected a StatementException for:\n" + sql).isNotNull();
        return e;
    }

    static void assertError(String sql, int line, int column, String fragment) {
        StatementException e = error(sql);
        assertThat(e.reason()).contains(fragment);
        assertThat(e.getMessage()).isEqualTo("line " + line + ", column " + column + ": " + e.reason());
        assertThat(new int[] {e.line(), e.column()}).as(e.getMessage()).containsExactly(line, column);
    }

    @Test
    void missingOn() {
        assertError("""
                CREATE ROUTINE LOAD
                  db.job
                    IN tbl
                """ + KAFKA, 3, 5, "expected ON after the job name, found 'IN'");
    }

    @Test
    void unknownStatement() {
        assertError("DROP ROUTINE LOAD x", 1, 1, "expected CREATE, ALTER, PAUSE, RESUME, STOP or SHOW");
    }

    @Test
    void missingRoutineKeyword() {
        assertError("CREATE LOAD x ON t " + KAFKA, 1, 8, "expected ROUTINE after CREATE, found 'LOAD'");
    }

    @Test
    void unknownJobProperty() {
        StatementException e = error("""
                CREATE ROUTINE LOAD j ON t
                PROPERTIES (
                  "format" = "json",
                  "foo" = "1"
                )
                """ + KAFKA);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.reason()).startsWith("unknown property 'foo' in PROPERTIES; known: format, jsonpaths,")
                .contains("max_batch_interval", "desired_concurrent_number");
    }

    @Test
    void unknownPropertyWithSuggestion() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES ('max_batch_rowz' = '5') " + KAFKA, 1, 40,
                "unknown property 'max_batch_rowz' in PROPERTIES; did you mean 'max_batch_rows'?");
    }

    @Test
    void unknownSourceProperty() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_topic' = 't', 'kafka_brokers' = 'b')", 1, 61,
                "unknown property 'kafka_brokers' in FROM KAFKA; did you mean 'kafka_broker_list'?");
    }

    @Test
    void badIntegerValue() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                PROPERTIES ("max_batch_interval" = "abc")
                """ + KAFKA, 2, 13,
                "invalid value 'abc' for property 'max_batch_interval': expected an integer between 1 and 3600");
    }

    @Test
    void badBooleanValue() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES (\"strict_mode\" = \"maybe\") " + KAFKA, 1, 40,
                "invalid value 'maybe' for property 'strict_mode': expected true or false");
    }

    @Test
    void badFormat() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES (\"format\" = \"xml\") " + KAFKA, 1, 40,
                "invalid value 'xml' for property 'format': expected one of csv, json, avro");
    }

    @Test
    void avroNeedsASchemaRegistry() {
        assertError("CREATE ROUTINE LOAD j ON t\nPROPERTIES ('format' = 'avro') " + KAFKA, 2, 13,
                "format 'avro' needs a schema registry: give 'confluent.schema.registry.url' in FROM KAFKA (...)");
    }

    @Test
    void schemaRegistryCredentialsAreNeverShownInErrors() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES ('format' = 'avro') FROM KAFKA ('kafka_broker_list' = 'b:9092', "
                        + "'kafka_topic' = 't', 'confluent.schema.registry.basic.auth.user.info' = 'reg-without-colon')",
                1, 124, "invalid value '******' for property 'confluent.schema.registry.basic.auth.user.info': "
                        + "expected user:secret");
    }

    @Test
    void jsonpathsNotAnArray() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                PROPERTIES ("format" = "json",
                            "jsonpaths" = '{"a": "$.a"}')
                """ + KAFKA, 3, 13, "for property 'jsonpaths': expected a JSON array of JSON paths");
    }

    @Test
    void jsonpathsNotStrings() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES ('format' = 'json', 'jsonpaths' = '[1, 2]') " + KAFKA,
                1, 59, "invalid value '[1, 2]' for property 'jsonpaths'");
    }

    @Test
    void jsonpathsNeedJsonFormat() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES ('jsonpaths' = '[\"$.a\"]') " + KAFKA, 1, 40,
                "property 'jsonpaths' applies to formats 'json' and 'avro' only, but the format is 'csv'");
    }

    @Test
    void filterRatioOutOfRange() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES ('max_filter_ratio' = '1.5') " + KAFKA, 1, 40,
                "invalid value '1.5' for property 'max_filter_ratio': expected a number between 0 and 1");
    }

    @Test
    void badTimezone() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES ('timezone' = 'Mars/Base') " + KAFKA, 1, 40,
                "expected a time zone such as UTC, Asia/Shanghai or +08:00");
    }

    @Test
    void offsetsCountDiffersFromPartitions() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                FROM KAFKA (
                    "kafka_broker_list" = "b:9092",
                    "kafka_topic" = "t",
                    "kafka_partitions" = "0,1,2",
                    "kafka_offsets" = "OFFSET_BEGINNING,OFFSET_END"
                )""", 6, 5, "'kafka_offsets' has 2 offsets but 'kafka_partitions' lists 3 partitions");
    }

    @Test
    void offsetsWithoutPartitions() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_broker_list' = 'b', 'kafka_topic' = 't', "
                + "'kafka_offsets' = '0')", 1, 88, "property 'kafka_offsets' needs 'kafka_partitions'");
    }

    @Test
    void badOffsetValue() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_broker_list' = 'b', 'kafka_topic' = 't', "
                + "'kafka_partitions' = '0', 'kafka_offsets' = 'OFFSET_MIDDLE')", 1, 114,
                "invalid value 'OFFSET_MIDDLE' for property 'kafka_offsets': expected comma-separated offsets");
    }

    @Test
    void offsetsMixTimesAndNumbers() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_broker_list' = 'b', 'kafka_topic' = 't', "
                + "'kafka_partitions' = '0,1', 'kafka_offsets' = '2021-05-22 11:00:00,5')", 1, 116,
                "mixes times with OFFSET_BEGINNING/OFFSET_END/numbers");
    }

    @Test
    void badPartitionList() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_broker_list' = 'b', 'kafka_topic' = 't', "
                + "'kafka_partitions' = '0,a')", 1, 88,
                "invalid value '0,a' for property 'kafka_partitions': expected a comma-separated list");
    }

    @Test
    void missingTopicIsReportedAtFrom() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                COLUMNS (a)
                  FROM KAFKA ("kafka_broker_list" = "b:9092")
                """, 3, 3, "FROM KAFKA needs 'kafka_topic'");
    }

    @Test
    void missingBrokerListIsReportedAtFrom() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_topic' = 't')", 1, 28,
                "FROM KAFKA needs 'kafka_broker_list' (or 'aws.msk.cluster_arn' for Amazon MSK)");
    }

    @Test
    void unknownDataSource() {
        assertError("CREATE ROUTINE LOAD j ON t FROM PULSAR ('pulsar_service_url' = 'x')", 1, 33,
                "unknown data source 'PULSAR': Inlet reads FROM KAFKA or FROM KINESIS");
    }

    @Test
    void missingFrom() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                PROPERTIES ("format" = "json")
                """, 3, 1, "expected FROM KAFKA (...) after PROPERTIES (...), found end of input");
    }

    @Test
    void misspelledClause() {
        assertError("CREATE ROUTINE LOAD j ON t COLUMS (a, b) " + KAFKA, 1, 28,
                "expected load clauses (COLUMNS, WHERE, PARTITION, ...), PROPERTIES or FROM KAFKA (...), found 'COLUMS'");
    }

    @Test
    void duplicateProperty() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                PROPERTIES ("format" = "json",
                            'FORMAT' = 'csv')
                """ + KAFKA, 3, 13, "duplicate property 'FORMAT' in PROPERTIES (first given at line 2, column 13)");
    }

    @Test
    void unterminatedStringAtItsStart() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                COLUMNS TERMINATED BY ',
                FROM KAFKA ("kafka_topic" = "t")
                """, 2, 23, "unterminated string: the quote ' opened here is never closed");
    }

    @Test
    void unterminatedComment() {
        assertError("STOP ROUTINE LOAD FOR j /* forgot", 1, 25, "unterminated comment");
    }

    @Test
    void unexpectedCharacter() {
        assertError("STOP ROUTINE LOAD FOR @j", 1, 23, "unexpected character '@'");
    }

    @Test
    void unbalancedColumnsParenthesis() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                COLUMNS (a, b, c = concat(a, b)
                PROPERTIES ("format" = "csv")
                """ + KAFKA, 3, 1,
                "expected ',' or ')' to close the COLUMNS list opened at line 2, column 9, found 'PROPERTIES'");
    }

    @Test
    void unbalancedExpressionParenthesis() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                WHERE (a > 1 AND b < 2
                """ + KAFKA, 3, 1, "expected ')' to close '(' opened at line 2, column 7, found 'FROM'");
    }

    @Test
    void unbalancedPropertiesParenthesis() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES ('format' = 'json' " + KAFKA, 1, 58,
                "expected ',' or ')' to close PROPERTIES opened at line 1, column 39, found 'FROM'");
    }

    @Test
    void missingEqualsInProperty() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES ('format' 'json') " + KAFKA, 1, 49,
                "expected '=' after property 'format', found string 'json'");
    }

    @Test
    void emptyColumns() {
        assertError("CREATE ROUTINE LOAD j ON t COLUMNS () " + KAFKA, 1, 37,
                "empty COLUMNS list: name at least one column");
    }

    @Test
    void duplicateColumn() {
        assertError("CREATE ROUTINE LOAD j ON t COLUMNS (a, b, A = b + 1) " + KAFKA, 1, 43,
                "column 'A' appears twice in the COLUMNS list (first at line 1, column 37)");
    }

    @Test
    void badExpression() {
        assertError("""
                CREATE ROUTINE LOAD j ON t
                COLUMNS (a, b = a +)
                """ + KAFKA, 2, 20, "expected an expression, found ')'");
    }

    @Test
    void badCastType() {
        assertError("CREATE ROUTINE LOAD j ON t COLUMNS (a, b = CAST(a AS BLOB)) " + KAFKA, 1, 54,
                "unknown type 'BLOB'");
    }

    @Test
    void caseWithoutEnd() {
        assertError("CREATE ROUTINE LOAD j ON t COLUMNS (a, b = CASE WHEN a > 1 THEN 'x' ELSE 'y') " + KAFKA, 1, 77,
                "expected WHEN, ELSE or END to finish the CASE opened at line 1, column 44, found ')'");
    }

    @Test
    void duplicateWhere() {
        assertError("CREATE ROUTINE LOAD j ON t WHERE a > 1, WHERE b > 2 " + KAFKA, 1, 41,
                "the WHERE clause is given twice");
    }

    @Test
    void emptySeparator() {
        assertError("CREATE ROUTINE LOAD j ON t COLUMNS TERMINATED BY '' " + KAFKA, 1, 50,
                "the separator must not be empty");
    }

    @Test
    void partitionAndTemporaryPartition() {
        assertError("CREATE ROUTINE LOAD j ON t PARTITION (p1), TEMPORARY PARTITION (tp1) " + KAFKA, 1, 44,
                "PARTITION is given twice");
    }

    @Test
    void unsupportedDorisMerge() {
        assertError("CREATE ROUTINE LOAD j ON t WITH MERGE COLUMNS (a), DELETE ON a > 1 " + KAFKA, 1, 33,
                "WITH MERGE is not supported by Inlet");
    }

    @Test
    void unsupportedDorisDeleteOn() {
        assertError("""
                CREATE ROUTINE LOAD j ON t WITH APPEND
                COLUMNS (a, v3),
                DELETE ON v3 > 100
                """ + KAFKA, 3, 1, "DELETE ON is not supported by Inlet");
    }

    @Test
    void unsupportedDorisOrderBy() {
        assertError("CREATE ROUTINE LOAD j ON t COLUMNS (a, ts), ORDER BY ts " + KAFKA, 1, 45,
                "ORDER BY (a Doris sequence column) is not supported by Inlet");
    }

    @Test
    void unsupportedDorisPrecedingFilter() {
        assertError("CREATE ROUTINE LOAD j ON t PRECEDING FILTER k1 = 1 " + KAFKA, 1, 28,
                "PRECEDING FILTER is not supported by Inlet");
    }

    @Test
    void jobPropertyInSourceClause() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_broker_list' = 'b', 'kafka_topic' = 't', "
                + "'format' = 'json')", 1, 88, "property 'format' belongs in PROPERTIES (...), not in FROM KAFKA");
    }

    @Test
    void sourcePropertyInPropertiesClause() {
        assertError("CREATE ROUTINE LOAD j ON t PROPERTIES ('property.security.protocol' = 'ssl') " + KAFKA, 1, 40,
                "property 'property.security.protocol' belongs in the FROM KAFKA (...)");
    }

    @Test
    void badClientPropertyValue() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_broker_list' = 'b', 'kafka_topic' = 't', "
                + "'property.sasl.mechanism' = 'SCRAM')", 1, 88,
                "invalid value 'SCRAM' for property 'property.sasl.mechanism': expected one of PLAIN, SCRAM-SHA-256");
    }

    @Test
    void secretValueNeverShown() {
        StatementException e = error("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_broker_list' = 'b', "
                + "'kafka_topic' = 't', 'aws.access_key' = 'AKIA', 'aws.secret_key' = '   ')");
        assertThat(e.reason()).isEqualTo("invalid value '******' for property 'aws.secret_key': expected a non-empty value");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(115);
    }

    @Test
    void secretValueNotShownInSyntaxErrors() {
        StatementException e = error("CREATE ROUTINE LOAD j ON t FROM KAFKA ('property.sasl.password' 'hunter2')");
        assertThat(e.getMessage()).isEqualTo("line 1, column 65: expected '=' after property 'property.sasl.password', "
                + "found '******'");
        StatementException e2 = error("CREATE ROUTINE LOAD j ON t FROM KAFKA ('aws.secret_key' = 'a' 'hunter2')");
        assertThat(e2.getMessage()).doesNotContain("hunter2").contains("found '******'");
    }

    @Test
    void accessKeyWithoutSecretKey() {
        assertError("CREATE ROUTINE LOAD j ON t FROM KAFKA ('kafka_broker_list' = 'b', 'kafka_topic' = 't', "
                + "'aws.access_key' = 'AKIA')", 1, 88, "property 'aws.access_key' needs 'aws.secret_key' as well");
    }

    @Test
    void alterOfTopic() {
        assertError("""
                ALTER ROUTINE LOAD FOR db.job
                FROM KAFKA (
                  "kafka_partitions" = "0",
                  "kafka_topic" = "other"
                )""", 4, 3, "property 'kafka_topic' cannot be changed by ALTER ROUTINE LOAD; alterable in FROM KAFKA:");
    }

    @Test
    void alterOfBrokerList() {
        assertError("ALTER ROUTINE LOAD FOR j FROM KAFKA ('kafka_broker_list' = 'x:9092')", 1, 38,
                "property 'kafka_broker_list' cannot be changed by ALTER ROUTINE LOAD");
    }

    @Test
    void alterOfFormat() {
        assertError("ALTER ROUTINE LOAD FOR j PROPERTIES ('format' = 'json')", 1, 38,
                "property 'format' cannot be changed by ALTER ROUTINE LOAD; alterable: jsonpaths, json_root");
    }

    @Test
    void alterWithNothing() {
        assertError("ALTER ROUTINE LOAD FOR j;", 1, 25,
                "expected load clauses, PROPERTIES (...) or FROM KAFKA (...) to change, found ';'");
    }

    @Test
    void alterSetTargetTable() {
        assertError("ALTER ROUTINE LOAD FOR j SET TARGET TABLE = 't2'", 1, 26, "SET TARGET TABLE is not supported");
    }

    @Test
    void trailingGarbage() {
        assertError("STOP ROUTINE LOAD FOR j; garbage", 1, 26,
                "unexpected 'garbage' after the end of the statement");
    }

    @Test
    void trailingGarbageAfterCreate() {
        assertError("CREATE ROUTINE LOAD j ON t " + KAFKA + " extra", 1, 93,
                "unexpected 'extra' after the end of the statement");
    }

    @Test
    void pauseWithoutFor() {
        assertError("PAUSE ROUTINE LOAD example", 1, 20, "expected FOR after PAUSE ROUTINE LOAD, found 'example'");
    }

    @Test
    void pauseAllWithFor() {
        assertError("PAUSE ALL ROUTINE LOAD FOR j", 1, 24, "takes no FOR clause");
    }

    @Test
    void showTaskWithoutWhere() {
        assertError("SHOW ROUTINE LOAD TASK FROM db", 1, 31,
                "expected WHERE JobName = \"job\" after SHOW ROUTINE LOAD TASK, found end of input");
    }

    @Test
    void showWithUnknownState() {
        assertError("SHOW ROUTINE LOAD WHERE State = 'SLEEPING'", 1, 33, "unknown state string 'SLEEPING'");
    }

    @Test
    void scriptNeedsSemicolons() {
        StatementException e = catchThrowableOfType(() -> SqlParser.parseScript("""
                PAUSE ROUTINE LOAD FOR a;
                RESUME ROUTINE LOAD FOR a
                STOP ROUTINE LOAD FOR a;
                """), StatementException.class);
        assertThat(e.getMessage()).isEqualTo("line 3, column 1: expected ';' after the statement, found 'STOP'");
    }

    @Test
    void errorsInScriptsCarryScriptPositions() {
        assertThatThrownBy(() -> SqlParser.parseScript("""
                -- first job
                STOP ROUTINE LOAD FOR a;

                CREATE ROUTINE LOAD j ON t PROPERTIES ("max_error_number" = "-5")
                FROM KAFKA ("kafka_broker_list" = "b", "kafka_topic" = "t");
                """)).isInstanceOf(StatementException.class)
                .hasMessage("line 4, column 40: invalid value '-5' for property 'max_error_number': "
                        + "expected a non-negative integer");
    }
}
