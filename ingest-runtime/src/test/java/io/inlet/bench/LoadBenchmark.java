package io.inlet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.expr.SqlType;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.TableSchema;
import io.inlet.sink.Warehouse;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.testkit.EmbeddedPostgres;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import io.inlet.testkit.ApicurioRegistry;
import io.inlet.testkit.AvroWire;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * {@code bench/run}: on one topic of N JSON messages of about 150 bytes, measures in one run the
 * raw KafkaConsumer rate, each sink's bulk path alone (DuckDB Appender, PostgreSQL COPY, fed
 * ready-made rows), and Inlet end to end into each (a separate {@code inlet run} process, whose
 * peak RSS is read from /proc), and prints each end-to-end rate as a ratio of its reference.
 */
public final class LoadBenchmark {

    static final String TOKEN = "bench-token";
    static final String[] GENDERS = {"MALE", "FEMALE", "OTHER"};
    static final String[] CITIES = {"San Francisco", "Seattle", "Portland", "Los Angeles", "San Diego"};

    record Result(String name, long rows, long bytes, double seconds, String reference, Long rssBytes, Double cpuSeconds) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    static final int WARMUP_MESSAGES = Integer.parseInt(System.getenv().getOrDefault("INLET_BENCH_WARMUP", "1000000"));

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path work = Files.createTempDirectory("inlet-bench-");
        List<Result> results = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            broker.createTopic("bench", 3);
            broker.createTopic("warmup", 3);
            // the warm-up topic first: produced by a cold producer, its record batches span more time,
            // so its readers meet every record layout the measured topic has (no recompiling then)
            produce(broker, "warmup", WARMUP_MESSAGES, LoadBenchmark::message);
            long bytes = produce(broker, "bench", messages, LoadBenchmark::message);
            System.err.printf("produced %,d messages, %,d bytes (%.0f bytes/message)%n", messages, bytes, (double) bytes / messages);
            Avro avro = null;
            if (!"0".equals(System.getenv("INLET_BENCH_AVRO"))) {
                // the same rows in Avro (Confluent's wire format), schemas in a real registry
                ApicurioRegistry registry = ApicurioRegistry.get();
                int warmupId = registry.register("warmup_avro-value", AVRO_SCHEMA.toString());
                int benchId = registry.register("bench_avro-value", AVRO_SCHEMA.toString());
                broker.createTopic("warmup_avro", 3);
                broker.createTopic("bench_avro", 3);
                produce(broker, "warmup_avro", WARMUP_MESSAGES, r -> avroMessage(warmupId, r));
                long avroBytes = produce(broker, "bench_avro", messages, r -> avroMessage(benchId, r));
                System.err.printf("produced %,d Avro messages, %,d bytes (%.0f bytes/message)%n", messages, avroBytes,
                        (double) avroBytes / messages);
                avro = new Avro(registry.urlWithCredentials(), avroBytes);
            }

            results.add(rawConsumerReference(broker, "bench", messages));
            Object[][] rows = rows(Math.max(messages, WARMUP_MESSAGES));
            Object[][] warmupRows = Arrays.copyOf(rows, WARMUP_MESSAGES);
            Object[][] measuredRows = Arrays.copyOf(rows, messages);

            String duckUrl = "jdbc:duckdb:" + work.resolve("sink-only.duckdb");
            createTable(DriverManager.getConnection(duckUrl));
            Result duckOnly;
            try (DuckDbWarehouse w = new DuckDbWarehouse(duckUrl)) {
                TableSchema table = w.describe(null, "users_bench");
                sinkOnly("DuckDB Appender only", w, 1, warmupRows, bytes, table);
                duckOnly = sinkOnly("DuckDB Appender only", w, 2, measuredRows, bytes, table);
                results.add(duckOnly);
            }
            pg.execute("CREATE DATABASE sink_only");
            String sinkOnlyUrl = pg.jdbcUrl().replace("/postgres", "/sink_only");
            createTable(DriverManager.getConnection(sinkOnlyUrl, EmbeddedPostgres.USER, ""));
            Result copyOnly;
            try (PostgresWarehouse w = new PostgresWarehouse(sinkOnlyUrl, EmbeddedPostgres.USER, "")) {
                TableSchema table = w.describe(null, "users_bench");
                sinkOnly("PostgreSQL COPY only", w, 1, warmupRows, bytes, table);
                copyOnly = sinkOnly("PostgreSQL COPY only", w, 2, measuredRows, bytes, table);
                results.add(copyOnly);
            }

            String duckE2e = "jdbc:duckdb:" + work.resolve("e2e.duckdb");
            createTable(DriverManager.getConnection(duckE2e));
            try (Connection c = DriverManager.getConnection(duckE2e); Statement st = c.createStatement()) {
                st.execute(TABLE_DDL.replace("users_bench", "users_warmup"));
                st.execute(TABLE_DDL.replace("users_bench", "users_warmup_avro"));
                st.execute(TABLE_DDL.replace("users_bench", "users_bench_avro"));
            }
            results.addAll(endToEnd("Inlet → DuckDB", broker, work, duckE2e, messages, bytes, duckOnly, null, avro));
            String duckBare = "jdbc:duckdb:" + work.resolve("bare.duckdb");
            try (Connection c = DriverManager.getConnection(duckBare); Statement st = c.createStatement()) {
                st.execute(TABLE_DDL);
                st.execute(TABLE_DDL.replace("users_bench", "users_warmup"));
            }
            results.add(stagesAlone("stages alone → DuckDB", broker, work, duckBare, bytes, "DuckDB Appender only"));
            pg.execute(TABLE_DDL);
            pg.execute(TABLE_DDL.replace("users_bench", "users_warmup"));
            pg.execute(TABLE_DDL.replace("users_bench", "users_warmup_avro"));
            pg.execute(TABLE_DDL.replace("users_bench", "users_bench_avro"));
            results.addAll(endToEnd("Inlet → PostgreSQL", broker, work, pg.jdbcUrl(), messages, bytes, copyOnly,
                    StageCosts.postmasterPid(pg), avro));
            pg.execute("CREATE DATABASE bare");
            String pgBare = pg.jdbcUrl().replace("/postgres", "/bare");
            try (Connection c = DriverManager.getConnection(pgBare, EmbeddedPostgres.USER, "");
                 Statement st = c.createStatement()) {
                st.execute(TABLE_DDL);
                st.execute(TABLE_DDL.replace("users_bench", "users_warmup"));
            }
            results.add(stagesAlone("stages alone → PostgreSQL", broker, work, pgBare, bytes, "PostgreSQL COPY only"));
        }
        print(results, messages);
        deleteUnlessKept(work);
    }

    /** After a successful run, the working folder goes unless {@code INLET_BENCH_KEEP} is set; a failed run keeps it. */
    static void deleteUnlessKept(Path work) throws java.io.IOException {
        if (System.getenv("INLET_BENCH_KEEP") == null) {
            delete(work);
        } else {
            System.err.println("the services' logs and databases are in " + work);
        }
    }

    static void delete(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static final String TABLE_DDL = "CREATE TABLE users_bench (userid VARCHAR(50), regionid VARCHAR(50),"
            + " gender VARCHAR(50), city VARCHAR(50), score DOUBLE PRECISION, dt TIMESTAMP)";

    static void createTable(Connection c) throws Exception {
        try (c; Statement s = c.createStatement()) {
            s.execute(TABLE_DDL);
        }
    }

    /** One message's values, drawn in the order {@link #message} writes them. */
    record User(long registertime, String userid, String regionid, String gender, String city, double score) {
        static User draw(SplittableRandom r) {
            return new User(1_493_596_800_000L + r.nextLong(7L * 24 * 3600 * 1000), "User_" + r.nextInt(1_000_000),
                    "Region_" + r.nextInt(10), GENDERS[r.nextInt(3)], CITIES[r.nextInt(CITIES.length)],
                    r.nextInt(100000) / 100.0);
        }

        /** The row the benchmark's job makes of it: dt = from_unixtime(registertime / 1000). */
        Object[] row() {
            return new Object[] {userid, regionid, gender, city, score,
                    LocalDateTime.ofEpochSecond(registertime / 1000, 0, java.time.ZoneOffset.UTC)};
        }
    }

    static final long PRODUCER_SEED = 42;

    static byte[] message(SplittableRandom r) {
        User u = User.draw(r);
        return ("{\"registertime\":" + u.registertime() + ",\"userid\":\"" + u.userid()
                + "\",\"regionid\":\"" + u.regionid() + "\",\"gender\":\"" + u.gender()
                + "\",\"city\":\"" + u.city() + "\",\"score\":" + u.score()
                + ",\"device\":\"android\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The Avro job's registry (its URL with credentials) and the bytes of its measured topic. */
    record Avro(String registryUrl, long bytes) {}

    static final Schema AVRO_SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"users","namespace":"ksql","fields":[
              {"name":"registertime","type":"long"},{"name":"userid","type":"string"},
              {"name":"regionid","type":"string"},{"name":"gender","type":"string"},{"name":"city","type":"string"},
              {"name":"score","type":"double"},{"name":"device","type":"string"}]}""");

    /** The values {@link #message} writes as JSON, as an Avro record in Confluent's wire format. */
    static byte[] avroMessage(int schemaId, SplittableRandom r) {
        User u = User.draw(r);
        GenericRecord g = new GenericData.Record(AVRO_SCHEMA);
        g.put("registertime", u.registertime());
        g.put("userid", u.userid());
        g.put("regionid", u.regionid());
        g.put("gender", u.gender());
        g.put("city", u.city());
        g.put("score", u.score());
        g.put("device", "android");
        return AvroWire.frame(schemaId, g);
    }

    /** Produces {@code n} messages made by {@code message} over 3 partitions in turn; returns their bytes. */
    static long produce(EmbeddedKafkaBroker broker, String topic, int n, Function<SplittableRandom, byte[]> message) {
        SplittableRandom r = new SplittableRandom(PRODUCER_SEED);
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            AtomicReference<Exception> failed = new AtomicReference<>();
            for (int i = 0; i < n; i++) {
                byte[] m = message.apply(r);
                bytes += m.length;
                p.send(new ProducerRecord<>(topic, i % 3, null, m), (md, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            p.flush();
            if (failed.get() != null) {
                throw new IllegalStateException("producing " + topic + " failed", failed.get());
            }
        }
        return bytes;
    }

    /**
     * The raw consumer's rate as a reference: after a warm-up pass, the fastest of three passes, so that a
     * moment of other load on the machine does not lower the bar.
     */
    static Result rawConsumerReference(EmbeddedKafkaBroker broker, String topic, int n) {
        rawConsumer(broker, topic, n);
        Result best = null;
        for (int pass = 0; pass < 3; pass++) {
            Result r = rawConsumer(broker, topic, n);
            if (best == null || r.seconds() < best.seconds()) {
                best = r;
            }
        }
        return best;
    }

    private static Result rawConsumer(EmbeddedKafkaBroker broker, String topic, int n) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            long start = System.nanoTime();
            long count = 0;
            long bytes = 0;
            while (count < n) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    count++;
                    bytes += r.value().length;
                }
            }
            return new Result("KafkaConsumer raw (byte[])", count, bytes, (System.nanoTime() - start) / 1e9, null, null, null);
        }
    }

    /** The rows the benchmark's job makes of the first {@code n} messages {@link #produce} sends. */
    static Object[][] rows(int n) {
        SplittableRandom r = new SplittableRandom(PRODUCER_SEED);
        Object[][] rows = new Object[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = User.draw(r).row();
        }
        return rows;
    }

    /**
     * The sink's bulk path alone: the rows Inlet makes of the topic's messages, ready-made, through the same
     * LoadSession Inlet uses, in transactions of 100,000 rows.
     */
    static Result sinkOnly(String name, io.inlet.sink.jdbc.JdbcWarehouse w, long jobId, Object[][] rows, long bytes,
                           TableSchema table) throws Exception {
        int n = rows.length;
        w.catalog().insert(new io.inlet.job.JobRecord(jobId, "bench", "sink_only_" + jobId, "-",
                io.inlet.job.JobState.RUNNING, "", java.time.Instant.now(), null, null));
        long generation = w.claim(jobId, List.of("0"));
        long start = System.nanoTime();
        try (LoadSession s = w.openSession(jobId, generation, table)) {
            int done = 0;
            while (done < n) {
                s.begin(java.util.Map.of());
                int batch = Math.min(100_000, n - done);
                for (int i = 0; i < batch; i++) {
                    s.append(rows[done + i]);
                }
                done += batch;
                s.commit(List.of(new PartitionCommit("0", String.valueOf(done), batch, batch, 0, 0, 0)));
            }
        }
        return new Result(name, n, bytes, (System.nanoTime() - start) / 1e9, null, null, null);
    }

    static String statement(String job, String table, String topic, String brokers) {
        return statement(job, table, topic, brokers, null);
    }

    /** The measured job; with a registry URL, the same job over the Avro topic. */
    static String statement(String job, String table, String topic, String brokers, String registryUrl) {
        return """
                CREATE ROUTINE LOAD %s ON %s
                COLUMNS (userid, regionid, gender, city, score, registertime, dt = from_unixtime(registertime / 1000))
                PROPERTIES ('format' = '%s', 'desired_concurrent_number' = '3',
                  'jsonpaths' = '["$.userid", "$.regionid", "$.gender", "$.city", "$.score", "$.registertime"]')
                FROM KAFKA ('kafka_broker_list' = '%s', 'kafka_topic' = '%s',
                            'property.kafka_default_offsets' = 'OFFSET_BEGINNING'%s%s)""".formatted(job, table,
                registryUrl == null ? "json" : "avro", brokers, topic,
                registryUrl == null ? "" : ", 'confluent.schema.registry.url' = '" + registryUrl + "'",
                System.getenv().getOrDefault("INLET_BENCH_SOURCE_PROPERTIES", ""));
    }

    /**
     * The command of a JVM the benchmarks run a service or a bare loader in: {@code -Xmx<heap> -XX:+UseParallelGC},
     * a flight recording named after {@code jfrTag} when {@code INLET_BENCH_JFR} asks for one, and
     * {@code INLET_BENCH_JVM_OPTS}.
     */
    static List<String> javaCommand(String heap, String jfrTag, String main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseParallelGC", "-Daws.disableEc2Metadata=true"));
        String jfr = System.getenv("INLET_BENCH_JFR");
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + "-" + jfrTag + ".jfr,settings=profile");
        }
        String jvmOptions = System.getenv("INLET_BENCH_JVM_OPTS");
        if (jvmOptions != null && !jvmOptions.isBlank()) {
            command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * {@link BarePipeline} in a JVM like the service's: Inlet's decoder, mapper and bulk session
     * without the job around them, into its own tables; a warm-up pass over {@code warmup}, then
     * the measured one over {@code bench}, timed by the pipeline from its consumers' start to its
     * last commit.
     */
    static Result stagesAlone(String name, EmbeddedKafkaBroker broker, Path work, String url, long bytes,
                              String reference) throws Exception {
        String tag = name.contains("DuckDB") ? "bare-duckdb" : "bare-postgresql";
        List<String> command = javaCommand("200m", tag, BarePipeline.class.getName(), broker.bootstrapServers(), url,
                EmbeddedPostgres.USER, "warmup:users_warmup", "bench:users_bench");
        Path log = work.resolve(tag + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " failed; its log: " + log);
        }
        String[] pass = Files.readAllLines(log).stream().filter(l -> l.startsWith("pass bench ")).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " printed no measured pass; its log: " + log))
                .split(" ");
        return new Result(name, Long.parseLong(pass[2]), bytes, Double.parseDouble(pass[3]), reference, null, null);
    }

    /**
     * Inlet end to end in its own JVM: a warm-up job loads {@value #WARMUP_MESSAGES} messages first
     * (JIT, connections), then the measured job is created through the API and timed from its
     * CREATE until its last row is settled.
     */
    static List<Result> endToEnd(String name, EmbeddedKafkaBroker broker, Path work, String url, int n, long bytes,
                                 Result reference, Long postmaster, Avro avro) throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        String tag = name.contains("DuckDB") ? "duckdb" : "postgresql";
        Path config = work.resolve(tag + ".yaml");
        Files.writeString(config, "warehouse:\n  url: " + url + "\n  user: " + EmbeddedPostgres.USER
                + "\napi:\n  listen: 127.0.0.1:" + port + "\n");
        List<String> command = javaCommand("200m", tag, "io.inlet.cli.InletCli", "run", "--config", config.toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(work.resolve(tag + ".log").toFile());
        pb.environment().put("INLET_API_TOKEN", TOKEN);
        Process p = pb.start();
        Api api = new Api(port);
        try {
            // the warm-up job goes the measured job's way, through the API, so that its code is warm too
            await(p, () -> {
                api.sql(statement("warmup_job", "users_warmup", "warmup", broker.bootstrapServers()));
                return true;
            }, name + " start", work);
            await(p, () -> api.settled("warmup_job") >= WARMUP_MESSAGES, name + " warm-up", work);
            double cpuAtStart = cpuSeconds(p.pid());
            Map<String, Double> threadsAtStart = threadCpu(p.pid());
            long[] machineAtStart = machineTicks();
            double benchAtStart = cpuSeconds(ProcessHandle.current().pid());
            Map<String, Double> benchThreadsAtStart = threadCpu(ProcessHandle.current().pid());
            double serverAtStart = postmaster == null ? 0 : StageCosts.postgresServerSeconds(postmaster);
            long start = System.nanoTime();
            java.time.LocalTime created = java.time.LocalTime.now();
            api.sql(statement("bench_job", "users_bench", "bench", broker.bootstrapServers()));
            StringBuilder timeline = new StringBuilder();
            await(p, () -> {
                long settled = api.settled("bench_job");
                timeline.append(String.format(" %d:%d", (System.nanoTime() - start) / 1_000_000, settled));
                return settled >= n;
            }, name, work);
            if (System.getenv("INLET_BENCH_TIMELINE") != null) {
                System.err.println("timeline of " + name + ", created at " + created + " (ms:rows):" + timeline);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = cpuSeconds(p.pid()) - cpuAtStart;
            if (System.getenv("INLET_BENCH_THREADS") != null) {
                Map<String, Double> serviceThreads = threadCpu(p.pid());
                Map<String, Double> benchThreads = threadCpu(ProcessHandle.current().pid());
                long[] machine = machineTicks();
                double busy = (machine[0] - machineAtStart[0]) / 100.0;
                printThreadCpu(name, threadsAtStart, serviceThreads);
                System.err.printf("  machine: %.2f s busy, %.2f s idle; benchmark JVM (Kafka broker): %.2f s%s%n",
                        busy, (machine[1] - machineAtStart[1]) / 100.0,
                        cpuSeconds(ProcessHandle.current().pid()) - benchAtStart, postmaster == null ? ""
                                : String.format("; PostgreSQL's server processes: %.2f s",
                                        StageCosts.postgresServerSeconds(postmaster) - serverAtStart));
                printThreadCpu("the benchmark JVM", benchThreadsAtStart, benchThreads);
                double compiling = compilerSeconds(threadsAtStart, serviceThreads)
                        + compilerSeconds(benchThreadsAtStart, benchThreads);
                printBudget(reference.name(), n / (0.8 * reference.rowsPerSecond()), busy, compiling);
            }
            Result json = new Result(name, n, bytes, seconds, reference.name(), peakRss(p.pid()), cpu);
            if (avro == null) {
                return List.of(json);
            }
            // the same rows in Avro, in the same service: warmed up the same way, timed the same way
            await(p, () -> {
                api.sql(statement("warmup_avro_job", "users_warmup_avro", "warmup_avro", broker.bootstrapServers(),
                        avro.registryUrl()));
                return true;
            }, name + " Avro start", work);
            await(p, () -> api.settled("warmup_avro_job") >= WARMUP_MESSAGES, name + " Avro warm-up", work);
            double avroCpuAtStart = cpuSeconds(p.pid());
            long avroStart = System.nanoTime();
            api.sql(statement("bench_avro_job", "users_bench_avro", "bench_avro", broker.bootstrapServers(),
                    avro.registryUrl()));
            await(p, () -> api.settled("bench_avro_job") >= n, name + ", Avro", work);
            double avroSeconds = (System.nanoTime() - avroStart) / 1e9;
            return List.of(json, new Result(name + ", Avro", n, avro.bytes(), avroSeconds, name, peakRss(p.pid()),
                    cpuSeconds(p.pid()) - avroCpuAtStart));
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Polls {@code condition} every 50 ms: often enough to time a window of seconds, seldom enough
     * that answering costs the measured service little.
     */
    static void await(Process p, Condition condition, String what, Path work) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (java.io.IOException notUpYet) {
                // the service is starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(what + " did not complete; see the logs in " + work);
    }

    /** The service's HTTP API, as a user of it would call it. */
    static final class Api {
        private final HttpClient http = HttpClient.newHttpClient();
        private final ObjectMapper json = new ObjectMapper();
        private final String base;
        private String schema;

        Api(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        long settled(String job) throws Exception {
            HttpResponse<String> r = null;
            for (String db : schema == null ? List.of("main", "public") : List.of(schema)) {
                r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + db + "." + job))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    schema = db; // the warehouse's default schema: DuckDB's main, PostgreSQL's public
                    break;
                }
            }
            if (r.statusCode() != 200) {
                return -1;
            }
            return json.readTree(json.readTree(r.body()).get("Statistic").asText()).get("totalRows").asLong();
        }

        void sql(String statement) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sql"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("sql", statement)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the statement failed: " + r.body());
            }
        }
    }

    /** CPU seconds by thread name (numbers folded) of a process so far. */
    static Map<String, Double> threadCpu(long pid) throws Exception {
        Map<String, Double> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim().replaceAll("\\d+", "#");
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(comm, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
                } catch (java.io.IOException exited) {
                    // the thread ended meanwhile
                }
            }
        }
        return byName;
    }

    /**
     * Whether the machine could have done this window's work at 0.8 × the reference: the core-seconds that
     * window would have, against those the work took here without JIT compilation.
     */
    static void printBudget(String reference, double targetSeconds, double busy, double compiling) {
        int cores = Runtime.getRuntime().availableProcessors();
        System.err.printf("  at 0.8 × %s the window would be %.2f s, %.2f core-seconds on %d cores; the machine's"
                + " work in this window without JIT compilation (%.2f s) took %.2f core-seconds%n",
                reference, targetSeconds, targetSeconds * cores, cores, compiling, busy - compiling);
    }

    /** CPU seconds of a JVM's JIT compiler threads between two {@link #threadCpu} readings. */
    static double compilerSeconds(Map<String, Double> before, Map<String, Double> after) {
        return after.entrySet().stream().filter(e -> e.getKey().startsWith("C# CompilerThre"))
                .mapToDouble(e -> e.getValue() - before.getOrDefault(e.getKey(), 0.0)).sum();
    }

    /** CPU seconds by thread during the measured window, to see where a run spends its cores. */
    static void printThreadCpu(String name, Map<String, Double> before, Map<String, Double> after) {
        System.err.println("CPU seconds by thread of " + name + " (measured window):");
        after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(15)
                .forEach(e -> System.err.printf("  %8.2f  %s%n", e.getValue(), e.getKey()));
    }

    /** Busy and idle clock ticks of the whole machine so far, from /proc/stat. */
    static long[] machineTicks() throws Exception {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return new long[] {busy, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    /** User and system CPU seconds of a process so far, from /proc (clock ticks of 10 ms). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception e) {
            return 0;
        }
    }

    static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (Exception ignored) {
            // the process has exited
        }
        return 0;
    }

    static void print(List<Result> results, int messages) {
        System.out.printf("%nInlet load benchmark: %,d JSON messages (and the same rows in Avro), 3 partitions, %d cores%n%n", messages,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("| %-28s | %12s | %8s | %-32s | %12s | %14s |%n", "path", "rows/s", "MB/s", "ratio to reference",
                "peak RSS", "CPU µs/row");
        System.out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(30), "-".repeat(14), "-".repeat(10), "-".repeat(34),
                "-".repeat(14), "-".repeat(16));
        for (Result r : results) {
            String ratio = "";
            if (r.reference() != null) {
                Result ref = results.stream().filter(x -> x.name().equals(r.reference())).findFirst().orElseThrow();
                ratio = String.format("%.2f × %s", r.rowsPerSecond() / ref.rowsPerSecond(), ref.name());
            }
            System.out.printf("| %-28s | %,12.0f | %8.1f | %-32s | %12s | %14s |%n", r.name(), r.rowsPerSecond(),
                    r.bytes() / r.seconds() / 1e6, ratio, r.rssBytes() == null ? "" : (r.rssBytes() / (1024 * 1024)) + " MB",
                    r.cpuSeconds() == null ? "" : String.format("%.2f", r.cpuSeconds() * 1e6 / r.rows()));
        }
        for (String sink : List.of("DuckDB", "PostgreSQL")) {
            Result inlet = results.stream().filter(r -> r.name().equals("Inlet → " + sink)).findFirst().orElseThrow();
            Result stages = results.stream().filter(r -> r.name().equals("stages alone → " + sink)).findFirst()
                    .orElseThrow();
            System.out.printf("Inlet → %s / its stages alone: %.2f ×%n", sink, inlet.rowsPerSecond() / stages.rowsPerSecond());
        }
    }
}
