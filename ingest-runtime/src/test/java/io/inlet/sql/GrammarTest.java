package io.inlet.sql;

import io.inlet.expr.BinaryOp;
import io.inlet.expr.ColumnRef;
import io.inlet.expr.Expr;
import io.inlet.expr.FunctionCall;
import io.inlet.expr.Literal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented StarRocks and Doris grammar beyond the seeds; every statement round-trips. */
class GrammarTest {

    static Statement roundTrip(String sql) {
        Statement s = SqlParser.parse(sql);
        String canonical = s.toSql();
        Statement again = SqlParser.parse(canonical);
        assertThat(again).as(canonical).isEqualTo(s);
        assertThat(again.toSql()).isEqualTo(canonical);
        return s;
    }

    @Test
    void allLoadClausesInAnyOrderWithCommentsAndQuoting() {
        CreateRoutineLoad c = (CreateRoutineLoad) roundTrip("""
                -- a job
                create routine load `my-db`.`order job` on `orders` with append
                  where price > 100 and `status` in ('paid', 'shipped'),  # filter
                  columns (order_id, `pay dt`, price, status, amount = price * 2),
                  /* separators */ columns terminated by '\\x01',
                  rows terminated by '\\n',
                  temporary partition (tp1, `tp-2`)
                properties ('desired_concurrent_number' = 5, strict_mode = true, "max_filter_ratio" = 0.5,
                            'log_rejected_record_num' = -1,)
                from kafka (kafka_broker_list = 'k1:9092,k2:9092', kafka_topic = "orders",
                            property.group.id = 'g1')
                comment 'Doris comment';
                """);
        assertThat(c.job()).isEqualTo(new JobRef("my-db", "order job"));
        assertThat(c.table()).isEqualTo("orders");
        assertThat(c.load().columnSeparator()).isEqualTo("\\x01").hasSize(4);
        assertThat(c.load().rowDelimiter()).isEqualTo("\n");
        assertThat(c.load().columns()).extracting(ColumnMapping::name)
                .containsExactly("order_id", "pay dt", "price", "status", "amount");
        assertThat(c.load().columns().get(4).expr())
                .isEqualTo(new BinaryOp(BinaryOp.Op.MUL, new ColumnRef("price"), new Literal(2L)));
        assertThat(c.load().where().toSql()).isEqualTo("price > 100 AND status IN ('paid', 'shipped')");
        assertThat(c.load().partitions()).containsExactly("tp1", "tp-2");
        assertThat(c.load().temporaryPartitions()).isTrue();
        assertThat(c.jobProperties().asMap()).containsExactly(Map.entry("desired_concurrent_number", "5"),
                Map.entry("strict_mode", "true"), Map.entry("max_filter_ratio", "0.5"),
                Map.entry("log_rejected_record_num", "-1"));
        JobProperties jp = c.properties();
        assertThat(jp.desiredConcurrentNumber()).isEqualTo(5);
        assertThat(jp.strictMode()).isTrue();
        assertThat(jp.maxFilterRatio()).isEqualTo(0.5);
        assertThat(c.kafka().clientProperties()).containsExactly(Map.entry("group.id", "g1"));
        assertThat(c.kafka().brokerList()).isEqualTo("k1:9092,k2:9092");
        assertThat(c.toSql()).isEqualTo("""
                CREATE ROUTINE LOAD `my-db`.`order job` ON orders
                COLUMNS TERMINATED BY '\\\\x01',
                ROWS TERMINATED BY '\\n',
                COLUMNS (order_id, `pay dt`, price, status, amount = price * 2),
                WHERE price > 100 AND status IN ('paid', 'shipped'),
                TEMPORARY PARTITION (tp1, `tp-2`)
                PROPERTIES (
                    "desired_concurrent_number" = "5",
                    "strict_mode" = "true",
                    "max_filter_ratio" = "0.5",
                    "log_rejected_record_num" = "-1"
                )
                FROM KAFKA (
                    "kafka_broker_list" = "k1:9092,k2:9092",
                    "kafka_topic" = "orders",
                    "property.group.id" = "g1"
                )""");
    }

    @Test
    void starRocksDocExamples() {
        // trailing comma inside PROPERTIES, escape written as "\\"
        CreateRoutineLoad c = (CreateRoutineLoad) roundTrip("""
                CREATE ROUTINE LOAD example_db.example_tbl1_test_csv ON example_tbl1
                COLUMNS TERMINATED BY ",",
                COLUMNS (order_id, pay_dt, customer_name, nationality, gender, price)
                PROPERTIES
                (
                    "trim_space"="true",
                    "enclose"="\\"",
                    "escape"="\\\\",
                )
                FROM KAFKA
                (
                    "kafka_broker_list" ="<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",
                    "kafka_topic"="test_csv",
                    "property.kafka_default_offsets"="OFFSET_BEGINNING"
                );
                """);
        assertThat(c.properties().enclose()).isEqualTo("\"");
        assertThat(c.properties().escape()).isEqualTo("\\");
        assertThat(c.properties().trimSpace()).isTrue();

        CreateRoutineLoad cased = (CreateRoutineLoad) roundTrip("""
                CREATE ROUTINE LOAD rl_expr_test ON tbl_expr_test
                COLUMNS (
                      key1,
                      key2,
                      col1 = key1,
                      col2 = CASE WHEN key1 = "1" THEN "key1=1"
                                  WHEN key1 = "12" THEN "key1=12"
                                  ELSE "nothing" END)
                PROPERTIES ("format" = "json")
                FROM KAFKA
                (
                    "kafka_broker_list" = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",
                    "kafka_topic" = "topic-expr-test"
                );
                """);
        assertThat(cased.load().columns().get(3).expr().toSql())
                .isEqualTo("CASE WHEN key1 = '1' THEN 'key1=1' WHEN key1 = '12' THEN 'key1=12' ELSE 'nothing' END");

        CreateRoutineLoad root = (CreateRoutineLoad) roundTrip("""
                CREATE ROUTINE LOAD example_db.example_tbl3_ordertest3 ON example_tbl3
                PROPERTIES
                (
                    "format" = "json",
                    "json_root" = "$.RECORDS",
                    "strip_outer_array" = "true"
                 )
                FROM KAFKA
                (
                    "kafka_broker_list" = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",
                    "kafka_topic" = "ordertest2"
                );
                """);
        assertThat(root.properties().jsonRoot()).isEqualTo("$.RECORDS");
        assertThat(root.properties().stripOuterArray()).isTrue();

        CreateRoutineLoad avro = (CreateRoutineLoad) roundTrip("""
                CREATE ROUTINE LOAD sensor.sensor_log_load_job2 ON sensor_log2
                PROPERTIES
                (
                  "format" = "avro",
                  "jsonpaths" = "[\\"$.id\\",\\"$.name\\",\\"$.checked\\",\\"$.sensor_type\\",\\"$.data.data_y\\"]"
                )
                FROM KAFKA
                (
                  "kafka_broker_list" = "<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>,...",
                  "confluent.schema.registry.url" = "http://key:secret@172.16.0.1:8081",
                  "kafka_topic" = "topic_1",
                  "kafka_partitions" = "0,1,2,3,4,5",
                  "property.kafka_default_offsets" = "OFFSET_BEGINNING"
                );
                """);
        assertThat(avro.properties().format()).isEqualTo("avro");
        assertThat(avro.properties().jsonPaths()).hasSize(5).contains("$.data.data_y");
        assertThat(avro.toSqlMasked()).contains("\"http://******@172.16.0.1:8081\"").doesNotContain("secret");

        CreateRoutineLoad offsets = (CreateRoutineLoad) roundTrip("""
                CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1 ON example_tbl1
                COLUMNS TERMINATED BY ",",
                COLUMNS (order_id, pay_dt, customer_name, nationality, gender, price),
                WHERE price > 100 -- set the filter condition
                FROM KAFKA
                (
                    "kafka_broker_list" ="<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",
                    "kafka_topic" = "ordertest1",
                    "kafka_partitions" ="0,1,2,3,4", -- partitions to be consumed
                    "kafka_offsets" = "1000, OFFSET_BEGINNING, OFFSET_END, 2000, offset_end"
                );
                """);
        assertThat(offsets.kafka().offsets())
                .containsExactly("1000", "OFFSET_BEGINNING", "OFFSET_END", "2000", "OFFSET_END");
    }

    @Test
    void dorisExamples() {
        CreateRoutineLoad c = (CreateRoutineLoad) roundTrip("""
                CREATE ROUTINE LOAD demo.kafka_job01 ON routine_test01
                        COLUMNS TERMINATED BY ",",
                        COLUMNS(id, name, age)
                        PROPERTIES
                        (
                            "desired_concurrent_number"="1",
                            "max_filter_ratio"="0.5",
                            "strict_mode" = "false",
                            "timezone" = "Asia/Shanghai",
                            "max_batch_interval" = "20",
                            "max_batch_rows" = "300000",
                            "max_batch_size" = "209715200",
                            "send_batch_parallelism" = "10",
                            "load_to_single_tablet" = "false",
                            "partial_columns" = "false",
                            "exec_mem_limit" = "2147483648"
                        )
                        FROM KAFKA
                        (
                            "kafka_broker_list" = "10.16.10.6:9092",
                            "kafka_topic" = "routineLoad01",
                            "property.group.id" = "kafka_job01",
                            "property.client.id" = "12345",
                            "property.ssl.key.password" = "abcdefg",
                            "kafka_partitions" = "0,1,2,3",
                            "kafka_offsets" = "2021-05-22 11:00:00,2021-05-22 11:00:00,2021-05-22 11:00:00,2021-05-22 11:00:00"
                        );
                """);
        JobProperties jp = c.properties();
        assertThat(jp.timezone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(jp.maxBatchIntervalSeconds()).isEqualTo(20);
        assertThat(jp.maxBatchRows()).isEqualTo(300000);
        assertThat(jp.maxBatchSizeBytes()).isEqualTo(209715200);
        assertThat(jp.raw()).containsEntry("exec_mem_limit", "2147483648");
        assertThat(c.kafka().offsets()).containsOnly("2021-05-22 11:00:00");
        assertThat(c.toSqlMasked()).doesNotContain("abcdefg");

        roundTrip("""
                CREATE ROUTINE LOAD example_db.test1 ON example_tbl WITH APPEND
                COLUMNS(k1, k2, k3, v1, v2, v3 = k1 * 100),
                WHERE k1 > 100 and k2 like "%doris%"
                PROPERTIES ("format" = "json", "fuzzy_parse" = "true", "num_as_string" = "true")
                FROM KAFKA ("kafka_broker_list" = "broker1:9092", "kafka_topic" = "my_topic",
                            "property.kafka_default_offsets" = "2021-05-21 10:00:00")
                COMMENT "loads my_topic";
                """);

        AlterRoutineLoad a = (AlterRoutineLoad) roundTrip("""
                ALTER ROUTINE LOAD FOR db1.label1
                PROPERTIES
                (
                    "desired_concurrent_number" = "10"
                )
                FROM KAFKA
                (
                    "kafka_partitions" = "0, 1, 2",
                    "kafka_offsets" = "100, 200, 100",
                    "property.group.id" = "new_group"
                );
                """);
        assertThat(a.job()).isEqualTo(new JobRef("db1", "label1"));

        assertThat(roundTrip("PAUSE ALL ROUTINE LOAD")).isEqualTo(new PauseRoutineLoad(null, true));
        assertThat(roundTrip("resume all routine load;")).isEqualTo(new ResumeRoutineLoad(null, true));
        assertThat(roundTrip("SHOW ALL ROUTINE LOAD FOR example_db.test1"))
                .isEqualTo(new ShowRoutineLoad(new JobRef("example_db", "test1"), true, null));
        assertThat(roundTrip("SHOW ALL ROUTINE LOAD")).isEqualTo(new ShowRoutineLoad(null, true, null));
        assertThat(roundTrip("SHOW ROUTINE LOAD TASK WHERE jobname = 'example_routine_load_csv'"))
                .isEqualTo(new ShowRoutineLoadTask(new JobRef(null, "example_routine_load_csv"), null));
    }

    @Test
    void alterWithLoadClauses() {
        AlterRoutineLoad a = (AlterRoutineLoad) roundTrip("""
                ALTER ROUTINE LOAD FOR example_tbl_ordertest
                WHERE pay_dt < 2023-06-31
                PARTITION (p202306);
                """);
        assertThat(a.load().where()).isEqualTo(new BinaryOp(BinaryOp.Op.LT, new ColumnRef("pay_dt"),
                new BinaryOp(BinaryOp.Op.SUB, new BinaryOp(BinaryOp.Op.SUB, new Literal(2023L), new Literal(6L)),
                        new Literal(31L))));
        assertThat(a.load().partitions()).containsExactly("p202306");
        assertThat(a.sourceType()).isNull();

        AlterRoutineLoad b = (AlterRoutineLoad) roundTrip("""
                ALTER ROUTINE LOAD FOR j COLUMNS TERMINATED BY '|', COLUMNS (a, b, c = upper(b))
                PROPERTIES ("max_batch_rows" = "1000", "jsonpaths" = '["$.a"]', "timezone" = "+08:00")
                FROM KAFKA ("property.kafka_default_offsets" = "OFFSET_END", "aws.access_key" = "AK",
                            "aws.secret_key" = "SK")
                """);
        CreateRoutineLoad base = (CreateRoutineLoad) SqlParser.parse("""
                CREATE ROUTINE LOAD db.j ON t COLUMNS TERMINATED BY ',', COLUMNS (a, b), WHERE a > 0
                PROPERTIES ("format" = "json", "max_batch_rows" = "5")
                FROM KAFKA ("kafka_broker_list" = "b:9092", "kafka_topic" = "t", "kafka_partitions" = "0,1",
                            "kafka_offsets" = "5,6")
                """);
        CreateRoutineLoad merged = base.merge(b);
        assertThat(merged.load().columnSeparator()).isEqualTo("|");
        assertThat(merged.load().columns()).hasSize(3);
        assertThat(merged.load().where().toSql()).isEqualTo("a > 0");
        assertThat(merged.jobProperties().asMap()).containsExactly(Map.entry("format", "json"),
                Map.entry("max_batch_rows", "1000"), Map.entry("jsonpaths", "[\"$.a\"]"),
                Map.entry("timezone", "+08:00"));
        assertThat(SqlParser.parse(merged.toSql())).isEqualTo(merged);
        assertThat(merged.toSqlMasked()).doesNotContain("\"SK\"");

        // a new partition list without offsets drops the old offsets
        AlterRoutineLoad parts = (AlterRoutineLoad) SqlParser.parse(
                "ALTER ROUTINE LOAD FOR db.j FROM KAFKA ('kafka_partitions' = '0,1,2')");
        CreateRoutineLoad m2 = base.merge(parts);
        assertThat(SqlParser.parse(m2.toSql())).isEqualTo(m2);
        assertThat(m2.kafka().partitions()).containsExactly(0, 1, 2);
        assertThat(m2.kafka().offsets()).isEmpty();
    }

    @Test
    void showVariants() {
        assertThat(roundTrip("SHOW ROUTINE LOAD")).isEqualTo(new ShowRoutineLoad(null, false, null));
        assertThat(roundTrip("SHOW ROUTINE LOAD FROM example_db"))
                .isEqualTo(new ShowRoutineLoad(null, false, "example_db"));
        ShowRoutineLoad s = (ShowRoutineLoad) roundTrip(
                "SHOW ALL ROUTINE LOAD FROM db WHERE STATE = \"paused\" ORDER BY createtime DESC LIMIT 5, 10");
        assertThat(s.state()).isEqualTo("PAUSED");
        assertThat(s.orderBy()).isEqualTo("CreateTime");
        assertThat(s.descending()).isTrue();
        assertThat(s.offset()).isEqualTo(5);
        assertThat(s.limit()).isEqualTo(10);
        ShowRoutineLoad t = (ShowRoutineLoad) roundTrip("SHOW ROUTINE LOAD LIMIT 3 OFFSET 1");
        assertThat(t.limit()).isEqualTo(3);
        assertThat(t.offset()).isEqualTo(1);
        ShowRoutineLoadTask task = (ShowRoutineLoadTask) roundTrip(
                "SHOW ROUTINE LOAD TASK FROM example_db WHERE JobName = \"example_tbl_ordertest\";");
        assertThat(task.dbFrom()).isEqualTo("example_db");
        assertThat(task.job().qualified("other")).isEqualTo("example_db.example_tbl_ordertest");
        assertThat(roundTrip("STOP ROUTINE LOAD FOR `weird.name`"))
                .isEqualTo(new StopRoutineLoad(new JobRef(null, "weird.name")));
    }

    @Test
    void timezones() {
        for (String[] tz : new String[][] {{"UTC", "UTC"}, {"Asia/Shanghai", "Asia/Shanghai"},
                {"+08:00", "+08:00"}, {"CST", "Asia/Shanghai"}, {"America/New_York", "America/New_York"}}) {
            CreateRoutineLoad c = (CreateRoutineLoad) roundTrip("CREATE ROUTINE LOAD j ON t PROPERTIES ('timezone' = '"
                    + tz[0] + "') FROM KAFKA ('kafka_broker_list' = 'b:9092', 'kafka_topic' = 't')");
            assertThat(c.properties().timezone()).isEqualTo(ZoneId.of(tz[1]));
        }
    }

    @Test
    void jobRefQualification() {
        assertThat(new JobRef(null, "j").qualified("db")).isEqualTo("db.j");
        assertThat(new JobRef("x", "j").qualified("db")).isEqualTo("x.j");
        assertThat(new JobRef(null, "j").qualified(null)).isEqualTo("j");
    }

    @Test
    void kinesisSource() {
        CreateRoutineLoad c = (CreateRoutineLoad) roundTrip("""
                CREATE ROUTINE LOAD db.clicks ON clicks
                PROPERTIES ("format" = "json")
                FROM KINESIS (
                    "kinesis_stream" = "clickstream",
                    "kinesis_shards" = "shardId-000000000000,shardId-000000000001",
                    "kinesis_positions" = "TRIM_HORIZON,latest",
                    "aws.region" = "eu-west-1",
                    "aws.role_arn" = "arn:aws:iam::123456789012:role/inlet"
                )
                """);
        assertThat(c.sourceType()).isEqualTo("KINESIS");
        KinesisSourceProperties k = c.kinesis();
        assertThat(k.stream()).isEqualTo("clickstream");
        assertThat(k.shards()).containsExactly("shardId-000000000000", "shardId-000000000001");
        assertThat(k.positions()).containsExactly("TRIM_HORIZON", "LATEST");
        assertThat(k.defaultPosition()).isEqualTo("LATEST");
        assertThat(k.awsProperties()).containsEntry("aws.region", "eu-west-1");

        StatementErrorsTest.assertError("CREATE ROUTINE LOAD j ON t FROM KINESIS ('aws.region' = 'us-east-1')", 1, 28,
                "FROM KINESIS needs 'kinesis_stream'");
        StatementErrorsTest.assertError("CREATE ROUTINE LOAD j ON t FROM KINESIS ('kinesis_stream' = 's', "
                + "'kinesis_shards' = 'a,b', 'kinesis_positions' = 'LATEST')", 1, 92,
                "'kinesis_positions' has 1 position but 'kinesis_shards' lists 2 shards");
        StatementErrorsTest.assertError("CREATE ROUTINE LOAD j ON t FROM KINESIS ('kinesis_stream' = 's', "
                + "'kafka_topic' = 'x')", 1, 66, "unknown property 'kafka_topic' in FROM KINESIS");
    }

    @Test
    void mskClusterArnReplacesBrokerList() {
        CreateRoutineLoad c = (CreateRoutineLoad) roundTrip("""
                CREATE ROUTINE LOAD j ON t FROM KAFKA (
                  "aws.msk.cluster_arn" = "arn:aws:kafka:us-east-1:123456789012:cluster/demo/abc",
                  "kafka_topic" = "t")
                """);
        assertThat(c.kafka().brokerList()).isNull();
        assertThat(c.kafka().awsProperties()).containsKey("aws.msk.cluster_arn");
    }

    @Test
    void secretsAreMasked() {
        assertThat(KafkaPropertyDefs.isSecret("property.sasl.password")).isTrue();
        assertThat(KafkaPropertyDefs.isSecret("aws.secret_key")).isTrue();
        assertThat(KafkaPropertyDefs.isSecret("property.sasl.jaas.config")).isTrue();
        assertThat(KafkaPropertyDefs.isSecret("property.ssl.key.password")).isTrue();
        assertThat(KafkaPropertyDefs.isSecret("property.sasl.oauthbearer.token.endpoint.url")).isTrue();
        assertThat(KafkaPropertyDefs.isSecret("PROPERTY.SASL.PASSWORD")).isTrue();
        assertThat(KafkaPropertyDefs.isSecret("property.sasl.username")).isFalse();
        assertThat(KafkaPropertyDefs.isSecret("aws.access_key")).isFalse();
        Property p = new Property("property.sasl.jaas.config", "org.apache...PlainLoginModule required password=\"x\";");
        assertThat(p.toString()).isEqualTo("property.sasl.jaas.config=******");
        assertThat(p.maskedValue()).isEqualTo("******");
    }

    @Test
    void propertyListLookups() {
        PropertyList l = new PropertyList(List.of(new Property("Format", "json", 3, 5), new Property("a", "1")));
        assertThat(l.find("FORMAT")).get().extracting(Property::line).isEqualTo(3);
        assertThat(l.get("format", "csv")).isEqualTo("json");
        assertThat(l.get("missing", "dflt")).isEqualTo("dflt");
        assertThat(l.asMap()).containsExactly(Map.entry("format", "json"), Map.entry("a", "1"));
        assertThat(l).isEqualTo(new PropertyList(List.of(new Property("format", "json"), new Property("A", "1"))));
    }

    @Test
    void propertyDefsAreDeclaredOnce() {
        assertThat(JobPropertyDefs.ALL).extracting(PropertyDef::name).doesNotHaveDuplicates()
                .contains("format", "jsonpaths", "json_root", "strip_outer_array", "max_batch_interval",
                        "max_batch_rows", "max_batch_size", "max_error_number", "max_filter_ratio", "strict_mode",
                        "timezone", "desired_concurrent_number", "enclose", "escape", "trim_space",
                        "partial_update", "partial_update_mode", "merge_condition", "log_rejected_record_num",
                        "task_consume_second", "task_timeout_second", "exec_mem_limit", "send_batch_parallelism",
                        "load_to_single_tablet", "fuzzy_parse", "num_as_string", "column_separator",
                        "line_delimiter");
        assertThat(KafkaPropertyDefs.ALL).extracting(PropertyDef::name).doesNotHaveDuplicates()
                .contains("kafka_broker_list", "kafka_topic", "kafka_partitions", "kafka_offsets", "property.*",
                        "aws.region", "aws.access_key", "aws.secret_key", "aws.role_arn", "aws.external_id",
                        "aws.profile_name", "aws.credentials_provider", "aws.msk.cluster_arn");
        assertThat(JobPropertyDefs.find("MAX_BATCH_ROWS")).get().extracting(PropertyDef::defaultValue)
                .isEqualTo("200000");
        assertThat(JobPropertyDefs.find("exec_mem_limit").get().doc()).contains("Inlet does not use it");
        assertThat(KafkaPropertyDefs.find("property.anything")).get().extracting(PropertyDef::name)
                .isEqualTo("property.*");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a + b * c - d / e % f DIV g",
            "(a + b) * (c - d)",
            "a - (b - c)",
            "a - b - c",
            "-a + - -b",
            "-(a + 1)",
            "-(5) + - -5 - -(2.5)",
            "NOT a AND b OR c",
            "NOT (a AND b)",
            "(a OR b) AND c",
            "a = b = c",
            "a = (b = c)",
            "a IS NULL AND b IS NOT NULL",
            "a = b IS NULL",
            "x NOT IN (1, 2, NULL) OR y IN ('a')",
            "x BETWEEN 1 + 1 AND 10 * 2",
            "x NOT BETWEEN (a OR b) AND c",
            "s LIKE 'a%' AND s NOT LIKE concat('%', t)",
            "CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END",
            "CASE WHEN a > 1 THEN CASE WHEN b THEN 1 ELSE 2 END ELSE -3 END",
            "CAST(a AS DECIMAL(10,2)) + CAST('1' AS INT) + CAST(b AS VARCHAR(20)) + CAST(c AS VARCHAR)",
            "if(a <=> NULL, 1.50, 2.5e3)",
            "from_unixtime(ts / 1000, '%Y-%m-%d %H:%i:%s')",
            "now() > current_timestamp",
            "`select` + `a b` + `back``tick`",
            "'it''s' = \"say \\\"hi\\\"\" AND 'tab\\there' != 'x\\\\y\\%'",
            "9223372036854775807 + -9223372036854775808 + 99999999999999999999",
            "!a = b",
            "a != b AND a <> b AND a == b",
            "a || b && c",
            "year(dt) MOD 4 = 0",
            "0.5 + .25 + 1.",
    })
    void expressionsRoundTrip(String text) {
        Expr e = SqlParser.parseExpression(text);
        String canonical = e.toSql();
        assertThat(SqlParser.parseExpression(canonical)).as(canonical).isEqualTo(e);
        assertThat(SqlParser.parseExpression(canonical).toSql()).isEqualTo(canonical);
    }

    @Test
    void canonicalExpressionText() {
        assertThat(SqlParser.parseExpression("(a+b)*c").toSql()).isEqualTo("(a + b) * c");
        assertThat(SqlParser.parseExpression("a-(b-c)").toSql()).isEqualTo("a - (b - c)");
        assertThat(SqlParser.parseExpression("((a))").toSql()).isEqualTo("a");
        assertThat(SqlParser.parseExpression("- - a").toSql()).isEqualTo("- -a");
        assertThat(SqlParser.parseExpression("NOT a = b").toSql()).isEqualTo("NOT a = b");
        assertThat(SqlParser.parseExpression("!a = b").toSql()).isEqualTo("(NOT a) = b");
        assertThat(SqlParser.parseExpression("a || b").toSql()).isEqualTo("a OR b");
        assertThat(SqlParser.parseExpression("1.50").toSql()).isEqualTo("1.50");
        assertThat(SqlParser.parseExpression("2.5e3").toSql()).isEqualTo("2500.0E0");
        assertThat(SqlParser.parseExpression("CURRENT_TIMESTAMP").toSql()).isEqualTo("current_timestamp()");
        assertThat(SqlParser.parseExpression("`end` + year").toSql()).isEqualTo("`end` + year");
        assertThat(SqlParser.parseExpression("-5")).isEqualTo(new Literal(-5L));
        assertThat(SqlParser.parseExpression("1.5")).isEqualTo(new Literal(new BigDecimal("1.5")));
        assertThat(SqlParser.parseExpression("Concat(a)")).isEqualTo(new FunctionCall("concat",
                List.of(new ColumnRef("a"))));
    }
}
