package io.inlet.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.cli.InletCli;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.job.JobManager;
import io.inlet.job.JobState;
import io.inlet.job.RoutineLoadJob;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.testkit.Await;
import io.inlet.testkit.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API, `inlet sql`, /metrics, secrets masking and persistence across a restart of the runtime. */
class ApiManagementTest {

    static final String TOKEN = "test-token-7c1e";
    static final String SECRET = "s3cr3t-Pa55w0rd-91f";
    static EmbeddedKafkaBroker broker;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    DuckDbWarehouse warehouse;
    JobManager jobs;
    ApiServer api;
    final StringBuilder transcript = new StringBuilder();
    ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void open() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
        ((Logger) LoggerFactory.getLogger("org.apache.kafka.clients")).setLevel(Level.INFO);
        start();
    }

    void start() throws Exception {
        warehouse = new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("w.duckdb"));
        jobs = new JobManager(warehouse, "main", Clock.systemUTC(), 8).monitor(Duration.ofMillis(300), Duration.ofSeconds(3));
        api = new ApiServer(jobs, new InetSocketAddress("127.0.0.1", 0), TOKEN);
        jobs.restore();
        api.ready();
    }

    void stop() {
        api.close();
        jobs.close();
        warehouse.close();
    }

    @AfterEach
    void close() {
        stop();
        root().detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("org.apache.kafka.clients")).setLevel(null);
    }

    static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    HttpResponse<String> request(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        transcript.append(r.body()).append('\n');
        return r;
    }

    JsonNode sql(String statement, int expectedStatus) throws Exception {
        HttpResponse<String> r = request("POST", "/api/v1/sql", JSON.writeValueAsString(Map.of("sql", statement)), TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
        return JSON.readTree(r.body());
    }

    /** Runs `inlet sql` and returns its exit code, with stdout and stderr appended to the transcript. */
    int cli(StringBuilder out, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            return new CommandLine(new InletCli()).execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            String text = bytes.toString(StandardCharsets.UTF_8);
            out.append(text);
            transcript.append(text);
        }
    }

    void ddl(String sql) throws Exception {
        try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    long count(String table) throws Exception {
        try (Connection c = warehouse.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    RoutineLoadJob job(String name) {
        return jobs.findAny(new JobRef("main", name)).orElseThrow();
    }

    static List<String> csv(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> i + ",v" + i).toList();
    }

    String create(String job, String table, String topic, String extraSource) {
        return """
                CREATE ROUTINE LOAD %s ON %s COLUMNS TERMINATED BY ","
                PROPERTIES ("max_batch_interval" = "1")
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                            "property.kafka_default_offsets" = "OFFSET_BEGINNING"%s)""".formatted(job, table,
                broker.bootstrapServers(), topic, extraSource);
    }

    /** The JDK's HTTP server keeps Nagle's algorithm unless told: each answer would wait about 40 ms for an ACK. */
    @Test
    void theApiSendsWithoutNaglesAlgorithm() {
        assertThat(System.getProperty(ApiServer.NO_DELAY)).isEqualTo("true");
    }

    @Test
    void untilItsJobsAreRestoredAReplicaIsLiveButNotReadyAndAnswersStatementsWithRetryAfter() throws Exception {
        stop();
        warehouse = new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("w.duckdb"));
        jobs = new JobManager(warehouse, "main", Clock.systemUTC(), 8);
        api = new ApiServer(jobs, new InetSocketAddress("127.0.0.1", 0), TOKEN);

        HttpResponse<String> live = request("GET", "/healthz", null, null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).get("phase").asText()).isEqualTo("restoring");
        HttpResponse<String> notReady = request("GET", "/readyz", null, null);
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.headers().firstValue("Retry-After")).hasValue("1");
        HttpResponse<String> statement = request("POST", "/api/v1/sql",
                JSON.writeValueAsString(Map.of("sql", "SHOW ROUTINE LOAD FOR some_job")), TOKEN);
        assertThat(statement.statusCode()).isEqualTo(503);
        assertThat(statement.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(statement.body()).contains("restoring its jobs").doesNotContain("does not exist");
        assertThat(request("GET", "/api/v1/jobs", null, TOKEN).statusCode()).isEqualTo(503);
        assertThat(request("GET", "/readyz", null, "wrong").statusCode()).as("no token needed").isEqualTo(503);

        jobs.restore();
        api.ready();
        HttpResponse<String> ready = request("GET", "/readyz", null, null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("idle");

        broker.createTopic("ready", 1);
        ddl("CREATE TABLE ready_t (id INT, v VARCHAR)");
        sql(create("ready_job", "ready_t", "ready", ""), 200);
        Await.until(Duration.ofSeconds(30), () -> JSON.readTree(request("GET", "/readyz", null, null).body())
                .get("status").asText().equals("running"), () -> "readiness 'running' once the job's task runs");
    }

    @Test
    void faultsFoundWithOrWithoutTheTableAnswer400WithTheirLineAndColumn() throws Exception {
        broker.createTopic("located", 1);
        ddl("CREATE TABLE located_t (a BIGINT, b VARCHAR, c TIMESTAMP)");
        String statement = """
                CREATE ROUTINE LOAD located_job ON %s
                COLUMNS(a, b, c = %s)
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "located")""";
        String brokers = broker.bootstrapServers();

        JsonNode unknownFunction = sql(statement.formatted("located_t", "from_unixtimes(a / 1000)", brokers), 400);
        assertThat(unknownFunction.get("error").asText()).contains("unknown function 'from_unixtimes'");
        assertThat(unknownFunction.get("line").asInt()).isEqualTo(2);
        assertThat(unknownFunction.get("column").asInt()).isEqualTo(19);

        JsonNode arguments = sql(statement.formatted("located_t", "from_unixtime(a, b, c, a)", brokers), 400);
        assertThat(arguments.get("line").asInt()).isEqualTo(2);
        assertThat(arguments.get("column").asInt()).isEqualTo(19);

        // a fault that needs no table comes before the table the warehouse does not have
        JsonNode beforeTheTable = sql(statement.formatted("no_such_table", "from_unixtimes(a)", brokers), 400);
        assertThat(beforeTheTable.get("error").asText()).contains("unknown function").doesNotContain("no_such_table");
        assertThat(beforeTheTable.get("line").asInt()).isEqualTo(2);

        // found with the table's schema: a column the table lacks, in an expression and as a mapping's name
        JsonNode unknownColumn = sql(statement.formatted("located_t", "from_unixtime(d)", brokers), 400);
        assertThat(unknownColumn.get("error").asText()).contains("'d'");
        assertThat(unknownColumn.get("line").asInt()).isEqualTo(2);
        assertThat(unknownColumn.get("column").asInt()).isEqualTo(33);
        JsonNode notAColumn = sql(statement.formatted("located_t", "from_unixtime(a), e = upper(b)", brokers), 400);
        assertThat(notAColumn.get("error").asText()).contains("column 'e' of COLUMNS is not a column of table");
        assertThat(notAColumn.get("line").asInt()).isEqualTo(2);
        assertThat(notAColumn.get("column").asInt()).as("the mapping's expression").isEqualTo(41);
        assertThat(jobs.jobs()).isEmpty();
    }

    @Test
    void aMissingOrWrongTokenGets401AndNothingHappens() throws Exception {
        broker.createTopic("tokens", 1);
        ddl("CREATE TABLE token_t (id INT, v VARCHAR)");
        String body = JSON.writeValueAsString(Map.of("sql", create("token_job", "token_t", "tokens", "")));
        for (String token : new String[] {null, "wrong", TOKEN + "x", ""}) {
            assertThat(request("POST", "/api/v1/sql", body, token).statusCode()).isEqualTo(401);
            assertThat(request("GET", "/api/v1/jobs", null, token).statusCode()).isEqualTo(401);
            assertThat(request("GET", "/metrics", null, token).statusCode()).isEqualTo(401);
        }
        assertThat(warehouse.catalog().all()).isEmpty();
        assertThat(jobs.jobs()).isEmpty();
        assertThat(request("GET", "/healthz", null, null).statusCode()).isEqualTo(200);

        JsonNode bad = sql("PAUSE ROUTINE LOAD FOR", 400);
        assertThat(bad.get("line").asInt()).isEqualTo(1);
        assertThat(bad.get("column").asInt()).isPositive();
        assertThat(sql("RESUME ROUTINE LOAD FOR nobody", 400).get("error").asText())
                .contains("routine load job main.nobody does not exist");

        StringBuilder out = new StringBuilder();
        assertThat(cli(out, "sql", "SHOW ROUTINE LOAD", "--url", api.baseUrl(), "--token", "wrong")).isEqualTo(1);
        assertThat(out).contains("ERROR: missing or wrong bearer token");
    }

    @Test
    void showMetricsAndCliOutputOfAKnownLoadNeverShowTheSecret() throws Exception {
        broker.createTopic("api_topic", 2);
        Topics.produce(broker, "api_topic", 2, csv(0, 50));
        ddl("CREATE TABLE api_t (id INT, v VARCHAR)");
        // a secret the PLAINTEXT listener ignores: the AWS keys of a statement that will move to MSK IAM later
        String secretSource = ", \"aws.access_key\" = \"AKIAEXAMPLE\", \"aws.secret_key\" = \"" + SECRET
                + "\", \"property.client.id\" = \"api-client\"";
        sql(create("api_job", "api_t", "api_topic", secretSource), 200);
        // errors name the statement but never the secret
        sql(create("api_job", "api_t", "api_topic", secretSource), 400);
        sql("ALTER ROUTINE LOAD FOR api_job FROM KAFKA (\"aws.secret_key\" = \"" + SECRET + "\")", 400);
        Await.until(Duration.ofSeconds(30), () -> count("api_t") == 50 && job("api_job").lag().equals(Map.of(0, 0L, 1, 0L)),
                () -> "50 rows and lag");

        JsonNode show = sql("SHOW ROUTINE LOAD FOR api_job", 200);
        List<String> columns = JSON.convertValue(show.get("columns"), List.class);
        JsonNode row = show.get("rows").get(0);
        assertThat(row.get(columns.indexOf("State")).asText()).isEqualTo("RUNNING");
        assertThat(row.get(columns.indexOf("CustomProperties")).asText()).contains("\"aws.secret_key\":\"******\"",
                "\"client.id\":\"api-client\"");
        assertThat(row.get(columns.indexOf("Progress")).asText()).isEqualTo("{\"0\":\"24\",\"1\":\"24\"}");
        assertThat(row.get(columns.indexOf("Lag")).asText()).isEqualTo("{\"0\":0,\"1\":0}");

        JsonNode one = JSON.readTree(request("GET", "/api/v1/jobs/main.api_job", null, TOKEN).body());
        assertThat(one.get("Name").asText()).isEqualTo("api_job");
        assertThat(JSON.readTree(request("GET", "/api/v1/jobs", null, TOKEN).body())).hasSize(1);

        HttpResponse<String> metrics = request("GET", "/metrics", null, TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String labels = "db=\"main\",job_id=\"" + job("api_job").id() + "\",job_name=\"api_job\"";
        assertThat(metrics.body()).contains(
                "inlet_rows_loaded_total{" + labels + ",table=\"api_t\"} 50.0",
                "inlet_rows_filtered_total{" + labels + ",table=\"api_t\"} 0.0",
                "inlet_rows_unselected_total{" + labels + ",table=\"api_t\"} 0.0",
                "inlet_received_bytes_total{",
                "inlet_batches_committed_total{",
                "inlet_batches_aborted_total{" + labels + ",table=\"api_t\"} 0.0",
                "inlet_job_lag_messages{" + labels + ",partition=\"0\",table=\"api_t\"} 0.0",
                "inlet_job_state{" + labels + ",state=\"RUNNING\",table=\"api_t\"} 1.0",
                "inlet_job_state{" + labels + ",state=\"PAUSED\",table=\"api_t\"} 0.0",
                "inlet_job_freshness_seconds{");

        StringBuilder table = new StringBuilder();
        assertThat(cli(table, "sql", "SHOW ROUTINE LOAD FOR api_job", "--url", api.baseUrl(), "--token", TOKEN)).isZero();
        assertThat(table).contains("| Id ", "| Name ", "| api_job ", "| RUNNING ", "1 row in set").doesNotContain("ERROR");
        StringBuilder vertical = new StringBuilder();
        assertThat(cli(vertical, "sql", "SHOW ROUTINE LOAD FOR api_job\\G", "--url", api.baseUrl(), "--token", TOKEN)).isZero();
        assertThat(vertical).contains("*************************** 1. row ***************************",
                "                Name: api_job\n", "               State: RUNNING\n",
                "    CustomProperties: {", "\"aws.secret_key\":\"******\"", "1 row in set");
        StringBuilder json = new StringBuilder();
        assertThat(cli(json, "sql", "SHOW ROUTINE LOAD TASK WHERE JobName = \"api_job\"", "--json", "--url",
                api.baseUrl(), "--token", TOKEN)).isZero();
        JsonNode tasks = JSON.readTree(json.substring(json.indexOf("{\n"))); // after any log lines on stderr
        assertThat(tasks.get("columns").get(0).asText()).isEqualTo("TaskId");
        assertThat(tasks.get("rows")).hasSize(2);
        StringBuilder ok = new StringBuilder();
        assertThat(cli(ok, "sql", "PAUSE ROUTINE LOAD FOR api_job", "--url", api.baseUrl(), "--token", TOKEN)).isZero();
        assertThat(ok).contains("OK: paused");
        sql("SHOW ROUTINE LOAD FOR api_job", 200);

        StringBuilder all = new StringBuilder(transcript);
        for (ILoggingEvent e : logs.list) {
            all.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                all.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            }
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(all.toString()).contains("api_job").doesNotContain(SECRET);
    }

    @Test
    void jobsCreatedAlteredPausedOrStoppedThroughTheApiSurviveARestart() throws Exception {
        broker.createTopic("persist", 2);
        Topics.produce(broker, "persist", 2, csv(0, 40));
        ddl("CREATE TABLE persist_run (id INT, v VARCHAR)");
        ddl("CREATE TABLE persist_paused (id INT, v VARCHAR)");
        ddl("CREATE TABLE persist_stopped (id INT, v VARCHAR)");
        sql(create("run_job", "persist_run", "persist", ""), 200);
        sql(create("paused_job", "persist_paused", "persist", ""), 200);
        sql(create("stopped_job", "persist_stopped", "persist", ""), 200);
        Await.until(Duration.ofSeconds(30), () -> count("persist_run") == 40 && count("persist_paused") == 40
                && count("persist_stopped") == 40, () -> "40 rows in each table");
        sql("PAUSE ROUTINE LOAD FOR paused_job", 200);
        sql("ALTER ROUTINE LOAD FOR paused_job PROPERTIES (\"desired_concurrent_number\" = \"1\")", 200);
        sql("STOP ROUTINE LOAD FOR stopped_job", 200);

        stop();
        Topics.produce(broker, "persist", 2, csv(40, 60));
        start();

        Await.until(Duration.ofSeconds(30), () -> job("run_job").state() == JobState.RUNNING
                && count("persist_run") == 60, () -> "run_job running again with 60 rows");
        assertThat(job("paused_job").state()).isEqualTo(JobState.PAUSED);
        assertThat(job("paused_job").statement().toSql()).contains("desired_concurrent_number");
        assertThat(job("stopped_job").state()).isEqualTo(JobState.STOPPED);
        JsonNode all = sql("SHOW ALL ROUTINE LOAD ORDER BY Name", 200);
        assertThat(all.get("rows")).hasSize(3);
        Await.caughtUp(job("run_job"), broker, "persist");
        assertThat(job("paused_job").tasks()).isEmpty();
        assertThat(job("stopped_job").tasks()).isEmpty();
        assertThat(count("persist_paused")).isEqualTo(40);
        assertThat(count("persist_stopped")).isEqualTo(40);
        assertThat(count("persist_run")).isEqualTo(60); // exactly once across the restart

        sql("RESUME ROUTINE LOAD FOR paused_job", 200);
        Await.until(Duration.ofSeconds(30), () -> count("persist_paused") == 60, () -> "paused_job resumed");
        assertThat(job("paused_job").tasks()).hasSize(1);
    }
}
