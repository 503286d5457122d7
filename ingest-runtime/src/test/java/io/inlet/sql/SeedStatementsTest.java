package io.inlet.sql;

import io.inlet.expr.BinaryOp;
import io.inlet.expr.ColumnRef;
import io.inlet.expr.EvalContext;
import io.inlet.expr.Evaluator;
import io.inlet.expr.ExprCompiler;
import io.inlet.expr.FunctionCall;
import io.inlet.expr.Literal;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The statements of the seed documents 000, 001 and 003, copied verbatim. */
class SeedStatementsTest {

    static final String SEED000_CSV = """
            CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1 ON example_tbl1
                COLUMNS TERMINATED BY ",",
                COLUMNS (order_id, pay_dt, customer_name, nationality, temp_gender, price)
                FROM KAFKA
                (
                    "kafka_broker_list" ="<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",
                    "kafka_topic" = "ordertest1",
                    "kafka_partitions" ="0,1,2,3,4",
                    "property.kafka_default_offsets" = "OFFSET_BEGINNING",
                    "property.security.protocol"="SASL_SSL",
                    "property.sasl.mechanism"="SCRAM-SHA-512",
                    "property.sasl.username"="<username>",
                    "property.sasl.password"="<password>"
                );
            """;

    static final String SEED000_JSON = """
            CREATE ROUTINE LOAD example_db.example_tbl2_ordertest2 ON example_tbl2
            COLUMNS(commodity_id, customer_name, country, pay_time, price, pay_dt=from_unixtime(pay_time, '%Y%m%d'))
            PROPERTIES
            (
                "format" ="json",
                "jsonpaths" ="[\\"$.commodity_id\\",\\"$.customer_name\\",\\"$.country\\",\\"$.pay_time\\",\\"$.price\\"]"
            )
            FROM KAFKA
            (
                "kafka_broker_list" ="<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>",
                "kafka_topic" = "ordertest2",
                "kafka_partitions" ="0,1,2,3,4",
                "property.kafka_default_offsets" = "OFFSET_BEGINNING",
                "property.security.protocol"="SASL_SSL",
                "property.sasl.mechanism"="SCRAM-SHA-512",
                "property.sasl.username"="<username>",
                "property.sasl.password"="<password>"
            );
            """;

    static final String SEED000_ALTER = """
            ALTER ROUTINE LOAD FOR example_tbl2_ordertest2
            PROPERTIES
            (
                "desired_concurrent_number" = "6"
            )
            FROM kafka
            (
                "kafka_partitions" = "0,1,2,3,4,5,6,7",
                "kafka_offsets" = "OFFSET_BEGINNING,OFFSET_BEGINNING,OFFSET_BEGINNING,OFFSET_BEGINNING,OFFSET_END,OFFSET_END,OFFSET_END,OFFSET_END"
            );
            """;

    static final String SEED001 = """
            CREATE ROUTINE LOAD mydatabase.tutorials_users_test2 ON myusers2
            COLUMNS(userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000))
            PROPERTIES (
                'format' ='json',
                'jsonpaths' = '["$.userid","$.regionid","$.gender", "$.registertime"]'
            )
            FROM KAFKA (
                'kafka_broker_list' = 'pkc-n98pk.us-west-2.aws.confluent.cloud:9092',
                'kafka_topic' = 'users',
                'property.kafka_default_offsets' = 'OFFSET_BEGINNING',
                'property.security.protocol' = 'SASL_SSL',
                'property.sasl.mechanism' = 'PLAIN',
                'property.sasl.username' = 'HALNAFT2X4IKVWYY',
                'property.sasl.password' = 'PF1L6aZ5kEXG5/q8heq5onDmLs6BeekC9X3pFWyuc+AZxw5DYUqBihJjXhKjFJw/'
            );
            """;

    static final String SEED003_AKSK = """
            CREATE ROUTINE LOAD IAM_Test ON t
            COLUMNS TERMINATED BY ",",
            COLUMNS(a,b)
            FROM KAFKA(
            "kafka_broker_list" = "your_msk_broker_list",
            "kafka_topic" = "your_kafka_topic",
            "aws.region" = "us-west-1",
            "aws.access_key" = "<your-ak>",
            "aws.secret_key" = "<your-sk>",
            "property.kafka_default_offsets" = "OFFSET_BEGINNING",
            "property.security.protocol" = "SASL_SSL",
            "property.sasl.mechanism" = "OAUTHBEARER"
            );
            """;

    static final String SEED003_ROLE_INSTANCE_PROFILE = """
            CREATE ROUTINE LOAD IAM_Test ON t
            COLUMNS TERMINATED BY ",",
            COLUMNS(a,b)
            FROM KAFKA(
            "kafka_broker_list" = "your_msk_broker_list",
            "kafka_topic" = "your_kafka_topic",
            "aws.region" = "us-west-1",
            "aws.role_arn" = "arn:aws:iam::123456789012:role/demo-role",
            "aws.credentials_provider" = "INSTANCE_PROFILE",
            "property.kafka_default_offsets" = "OFFSET_BEGINNING",
            "property.security.protocol" = "SASL_SSL",
            "property.sasl.mechanism" = "OAUTHBEARER"
            );
            """;

    static final String SEED003_ROLE_ENV = """
            CREATE ROUTINE LOAD IAM_Test ON t
            COLUMNS TERMINATED BY ",",
            COLUMNS(a,b)
            FROM KAFKA(
            "kafka_broker_list" = "your_msk_broker_list",
            "kafka_topic" = "your_kafka_topic",
            "aws.region" = "us-west-1",
            "aws.role_arn" = "arn:aws:iam::123456789012:role/demo-role",
            "aws.credentials_provider" = "ENV",
            "property.kafka_default_offsets" = "OFFSET_BEGINNING",
            "property.security.protocol" = "SASL_SSL",
            "property.sasl.mechanism" = "OAUTHBEARER"
            );
            """;

    static final String SEED003_ROLE_DEFAULT = """
            CREATE ROUTINE LOAD IAM_Test ON t
            COLUMNS TERMINATED BY ",",
            COLUMNS(a,b)
            FROM KAFKA(
            "kafka_broker_list" = "your_msk_broker_list",
            "kafka_topic" = "your_kafka_topic",
            "aws.region" = "us-west-1",
            "aws.role_arn" = "arn:aws:iam::123456789012:role/demo-role",
            "aws.credentials_provider" = "DEFAULT",
            "property.kafka_default_offsets" = "OFFSET_BEGINNING",
            "property.security.protocol" = "SASL_SSL",
            "property.sasl.mechanism" = "OAUTHBEARER"
            );
            """;

    static final String SEED003_PROVIDER = """
            CREATE ROUTINE LOAD IAM_Test ON t
            COLUMNS TERMINATED BY ",",
            COLUMNS(a,b)
            FROM KAFKA(
            "kafka_broker_list" = "your_msk_broker_list",
            "kafka_topic" = "your_kafka_topic",
            "aws.region" = "us-west-1",
            "aws.credentials_provider" = "INSTANCE_PROFILE",
            "property.kafka_default_offsets" = "OFFSET_BEGINNING",
            "property.security.protocol" = "SASL_SSL",
            "property.sasl.mechanism" = "OAUTHBEARER"
            );
            """;

    static final String SEED000_PAUSE = "PAUSE ROUTINE LOAD FOR example_tbl2_ordertest2;";
    static final String SEED000_RESUME = "RESUME ROUTINE LOAD FOR example_tbl2_ordertest2;";
    static final String SEED000_STOP = "STOP ROUTINE LOAD FOR example_tbl2_ordertest2;";
    static final String SEED001_SHOW = "SHOW ROUTINE LOAD FOR example_tbl2_ordertest2 \\G";
    static final String SEED001_SHOW_TASK = "SHOW ROUTINE LOAD TASK WHERE JobName = \"example_tbl2_ordertest2\" \\G";

    static final List<String> ALL = List.of(SEED000_CSV, SEED000_JSON, SEED000_ALTER, SEED001, SEED003_AKSK,
            SEED003_ROLE_INSTANCE_PROFILE, SEED003_ROLE_ENV, SEED003_ROLE_DEFAULT, SEED003_PROVIDER, SEED000_PAUSE,
            SEED000_RESUME, SEED000_STOP, SEED001_SHOW, SEED001_SHOW_TASK);

    static CreateRoutineLoad create(String sql) {
        return (CreateRoutineLoad) SqlParser.parse(sql);
    }

    @Test
    void seed000CsvFromMskScram() {
        CreateRoutineLoad c = create(SEED000_CSV);
        assertThat(c.job()).isEqualTo(new JobRef("example_db", "example_tbl1_ordertest1"));
        assertThat(c.table()).isEqualTo("example_tbl1");
        assertThat(c.load().columnSeparator()).isEqualTo(",");
        assertThat(c.load().rowDelimiter()).isNull();
        assertThat(c.load().columns()).extracting(ColumnMapping::name)
                .containsExactly("order_id", "pay_dt", "customer_name", "nationality", "temp_gender", "price");
        assertThat(c.load().columns()).allMatch(m -> m.expr() == null);
        assertThat(c.load().where()).isNull();
        assertThat(c.jobProperties().items()).isEmpty();
        assertThat(c.sourceType()).isEqualTo("KAFKA");
        assertThat(c.sourceProperties().items()).hasSize(8);

        JobProperties jp = c.properties();
        assertThat(jp.format()).isEqualTo("csv");
        assertThat(jp.timezone()).isEqualTo(java.time.ZoneId.of("UTC"));
        assertThat(jp.maxBatchIntervalSeconds()).isEqualTo(10);
        assertThat(jp.maxBatchRows()).isEqualTo(200000);
        assertThat(jp.maxBatchSizeBytes()).isEqualTo(104857600);
        assertThat(jp.maxFilterRatio()).isEqualTo(1.0);
        assertThat(jp.desiredConcurrentNumber()).isEqualTo(3);

        KafkaSourceProperties k = c.kafka();
        assertThat(k.brokerList())
                .isEqualTo("<kafka_broker1_ip>:<kafka_broker1_port>,<kafka_broker2_ip>:<kafka_broker2_port>");
        assertThat(k.topic()).isEqualTo("ordertest1");
        assertThat(k.partitions()).containsExactly(0, 1, 2, 3, 4);
        assertThat(k.offsets()).isEmpty();
        assertThat(k.defaultOffsets()).isEqualTo("OFFSET_BEGINNING");
        assertThat(k.clientProperties()).containsExactly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.username", "<username>"),
                Map.entry("sasl.password", "<password>"));
        assertThat(k.awsProperties()).isEmpty();

        assertThat(c.toSql()).contains("\"property.sasl.password\" = \"<password>\"");
        assertThat(c.toSqlMasked()).contains("\"property.sasl.password\" = \"******\"")
                .doesNotContain("<password>");
        assertThat(c.sourceProperties().toString()).doesNotContain("<password>");
    }

    @Test
    void seed000JsonWithDerivedColumn() {
        CreateRoutineLoad c = create(SEED000_JSON);
        assertThat(c.job()).isEqualTo(new JobRef("example_db", "example_tbl2_ordertest2"));
        assertThat(c.table()).isEqualTo("example_tbl2");
        assertThat(c.load().columns()).hasSize(6);
        ColumnMapping payDt = c.load().columns().get(5);
        assertThat(payDt.name()).isEqualTo("pay_dt");
        assertThat(payDt.expr()).isEqualTo(new FunctionCall("from_unixtime",
                List.of(new ColumnRef("pay_time"), new Literal("%Y%m%d"))));
        assertThat(payDt.expr().line()).isEqualTo(2);
        assertThat(payDt.expr().column()).isEqualTo(71);

        JobProperties jp = c.properties();
        assertThat(jp.format()).isEqualTo("json");
        assertThat(jp.jsonPaths()).containsExactly("$.commodity_id", "$.customer_name", "$.country", "$.pay_time",
                "$.price");
        assertThat(jp.stripOuterArray()).isFalse();
        assertThat(jp.jsonRoot()).isNull();
        assertThat(c.jobProperties().find("FORMAT")).get().extracting(Property::line, Property::column)
                .containsExactly(5, 5);

        assertThat(c.load().columnsSql())
                .isEqualTo("commodity_id, customer_name, country, pay_time, price, pay_dt = from_unixtime(pay_time, '%Y%m%d')");
    }

    @Test
    void seed000AlterPauseResumeStop() {
        AlterRoutineLoad a = (AlterRoutineLoad) SqlParser.parse(SEED000_ALTER);
        assertThat(a.job()).isEqualTo(new JobRef(null, "example_tbl2_ordertest2"));
        assertThat(a.load().isEmpty()).isTrue();
        assertThat(a.jobProperties().asMap()).containsExactly(Map.entry("desired_concurrent_number", "6"));
        assertThat(a.sourceType()).isEqualTo("KAFKA");
        assertThat(a.sourceProperties().get("kafka_partitions", null)).isEqualTo("0,1,2,3,4,5,6,7");

        assertThat(SqlParser.parse(SEED000_PAUSE))
                .isEqualTo(new PauseRoutineLoad(new JobRef(null, "example_tbl2_ordertest2"), false));
        assertThat(SqlParser.parse(SEED000_RESUME))
                .isEqualTo(new ResumeRoutineLoad(new JobRef(null, "example_tbl2_ordertest2"), false));
        assertThat(SqlParser.parse(SEED000_STOP))
                .isEqualTo(new StopRoutineLoad(new JobRef(null, "example_tbl2_ordertest2")));

        // ALTER merged into the CREATE, re-rendered and re-parsed
        CreateRoutineLoad merged = create(SEED000_JSON).merge(a);
        CreateRoutineLoad reparsed = create(merged.toSql());
        assertThat(reparsed).isEqualTo(merged);
        assertThat(reparsed.properties().desiredConcurrentNumber()).isEqualTo(6);
        KafkaSourceProperties k = reparsed.kafka();
        assertThat(k.partitions()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(k.offsets()).containsExactly("OFFSET_BEGINNING", "OFFSET_BEGINNING", "OFFSET_BEGINNING",
                "OFFSET_BEGINNING", "OFFSET_END", "OFFSET_END", "OFFSET_END", "OFFSET_END");
        assertThat(k.topic()).isEqualTo("ordertest2");
    }

    @Test
    void seed001ConfluentPlain() {
        CreateRoutineLoad c = create(SEED001);
        assertThat(c.job()).isEqualTo(new JobRef("mydatabase", "tutorials_users_test2"));
        assertThat(c.table()).isEqualTo("myusers2");
        ColumnMapping dt = c.load().columns().get(4);
        assertThat(dt.name()).isEqualTo("dt");
        assertThat(dt.expr()).isEqualTo(new FunctionCall("from_unixtime", List.of(
                new BinaryOp(BinaryOp.Op.DIVIDE, new ColumnRef("registertime"), new Literal(1000L)))));
        assertThat(c.properties().jsonPaths()).containsExactly("$.userid", "$.regionid", "$.gender",
                "$.registertime");
        KafkaSourceProperties k = c.kafka();
        assertThat(k.brokerList()).isEqualTo("pkc-n98pk.us-west-2.aws.confluent.cloud:9092");
        assertThat(k.topic()).isEqualTo("users");
        assertThat(k.partitions()).isEmpty();
        assertThat(k.clientProperties()).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.password", "PF1L6aZ5kEXG5/q8heq5onDmLs6BeekC9X3pFWyuc+AZxw5DYUqBihJjXhKjFJw/")
                .doesNotContainKey("kafka_default_offsets");
        assertThat(c.toSqlMasked()).doesNotContain("PF1L6aZ5kEXG5");

        // the derived column evaluates: registertime (JSON number, milliseconds) → DATETIME text in the job zone
        Evaluator ev = ExprCompiler.compile(dt.expr(), name -> name.equals("registertime") ? 0 : -1,
                EvalContext.utc());
        assertThat(ev.eval(new Object[] {1493987388929L})).isEqualTo("2017-05-05 12:29:48");
        Evaluator sh = ExprCompiler.compile(dt.expr(), name -> name.equals("registertime") ? 0 : -1,
                EvalContext.of(ZoneId.of("Asia/Shanghai")));
        assertThat(sh.eval(new Object[] {"1493987388929"})).isEqualTo("2017-05-05 20:29:48");

        assertThat(SqlParser.parse(SEED001_SHOW))
                .isEqualTo(new ShowRoutineLoad(new JobRef(null, "example_tbl2_ordertest2"), false, null));
        assertThat(SqlParser.parse(SEED001_SHOW_TASK))
                .isEqualTo(new ShowRoutineLoadTask(new JobRef(null, "example_tbl2_ordertest2"), null));
    }

    @Test
    void seed003DorisMskIam() {
        CreateRoutineLoad c = create(SEED003_AKSK);
        assertThat(c.job()).isEqualTo(new JobRef(null, "IAM_Test"));
        assertThat(c.table()).isEqualTo("t");
        assertThat(c.load().columnSeparator()).isEqualTo(",");
        assertThat(c.load().columns()).extracting(ColumnMapping::name).containsExactly("a", "b");
        KafkaSourceProperties k = c.kafka();
        assertThat(k.brokerList()).isEqualTo("your_msk_broker_list");
        assertThat(k.topic()).isEqualTo("your_kafka_topic");
        assertThat(k.awsProperties()).containsExactly(Map.entry("aws.region", "us-west-1"),
                Map.entry("aws.access_key", "<your-ak>"), Map.entry("aws.secret_key", "<your-sk>"));
        assertThat(k.clientProperties()).containsExactly(Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "OAUTHBEARER"));
        assertThat(c.toSqlMasked()).doesNotContain("<your-sk>").contains("<your-ak>");

        for (String sql : List.of(SEED003_ROLE_INSTANCE_PROFILE, SEED003_ROLE_ENV, SEED003_ROLE_DEFAULT)) {
            KafkaSourceProperties r = create(sql).kafka();
            assertThat(r.awsProperties()).containsEntry("aws.role_arn", "arn:aws:iam::123456789012:role/demo-role")
                    .containsKey("aws.credentials_provider");
        }
        assertThat(create(SEED003_ROLE_ENV).kafka().awsProperties()).containsEntry("aws.credentials_provider", "ENV");
        assertThat(create(SEED003_PROVIDER).kafka().awsProperties()).containsExactly(
                Map.entry("aws.region", "us-west-1"), Map.entry("aws.credentials_provider", "INSTANCE_PROFILE"));
    }

    @Test
    void everySeedStatementRoundTrips() {
        for (String sql : ALL) {
            Statement s = SqlParser.parse(sql);
            String canonical = s.toSql();
            assertThat(SqlParser.parse(canonical)).as(canonical).isEqualTo(s);
            assertThat(SqlParser.parse(canonical).toSql()).isEqualTo(canonical);
        }
    }

    @Test
    void seedsAsOneJobsFile() {
        String script = "-- jobs file\n" + String.join("\n", ALL.subList(0, 9)) + "\n/* done */";
        assertThat(SqlParser.parseScript(script)).hasSize(9);
    }
}
