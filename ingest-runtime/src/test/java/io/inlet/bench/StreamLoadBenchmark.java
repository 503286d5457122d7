package io.inlet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.testserver.StreamLoadTestServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inlet → Stream Load (issue 6's measurement): one 3-partition topic of MESSAGES (default
 * 5,000,000) JSON messages of about 100 bytes shaped like seed 001's {@code users}; seed 001's job
 * (jsonpaths, a derived {@code dt}) pushed down to the Stream Load test server's counting table.
 * {@code inlet run} starts cold in its own JVM ({@code -Xmx256m -XX:+UseParallelGC}, as the launcher runs it); once its
 * API answers, the job is created through it and the clock runs from that request to the last row
 * committed (the service's own start is reported too). The raw KafkaConsumer rate on the same topic,
 * measured in the same run, is the reference.
 */
public final class StreamLoadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] GENDERS = {"MALE", "FEMALE", "OTHER"};

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        Path work = Files.createTempDirectory("inlet-bench-sl");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             StreamLoadTestServer server = StreamLoadTestServer.builder(Flavor.STARROCKS)
                     .credentials("loader", "bench-secret").build()) {
            broker.createTopic("users", 3);
            long bytes = LoadBenchmark.produce(broker, "users", messages, StreamLoadBenchmark::message);
            System.err.printf("produced %,d messages, %,d bytes (%.0f bytes/message)%n", messages, bytes,
                    (double) bytes / messages);
            LoadBenchmark.rawConsumer(broker, "users", messages); // warm-up
            double rawSeconds = LoadBenchmark.rawConsumer(broker, "users", messages).seconds();

            server.createCountingTable("bench", "users", "userid VARCHAR(64)", "regionid VARCHAR(64)",
                    "gender VARCHAR(16)", "registertime BIGINT", "dt DATETIME");
            createTransactionLog(broker);
            int apiPort = EmbeddedKafkaBroker.freePort();
            String create = """
                    CREATE ROUTINE LOAD bench.users_job ON users
                    COLUMNS(userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000))
                    PROPERTIES ('format'='json', 'jsonpaths'='["$.userid","$.regionid","$.gender","$.registertime"]')
                    FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='users',
                                'property.kafka_default_offsets'='OFFSET_BEGINNING')
                    """.formatted(broker.bootstrapServers());
            Files.writeString(work.resolve("inlet.yaml"), """
                    warehouse:
                      type: starrocks
                      load-url: %s
                      user: loader
                      database: bench
                    catalog:
                      kafka:
                        bootstrap-servers: %s
                    api:
                      listen: 127.0.0.1:%d
                    """.formatted(server.loadUrl(), broker.bootstrapServers(), apiPort));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-XX:+UseParallelGC", "-Daws.disableEc2Metadata=true"));
            String jfr = System.getenv("INLET_BENCH_JFR");
            if (jfr != null) {
                command.add("-XX:StartFlightRecording=filename=" + jfr + "-streamload.jfr,settings=profile");
            }
            String opts = System.getenv("INLET_BENCH_JVM_OPTS");
            if (opts != null && !opts.isBlank()) {
                command.addAll(List.of(opts.trim().split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.inlet.cli.InletCli", "run",
                    "--config", work.resolve("inlet.yaml").toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("service.log").toFile());
            pb.environment().put("INLET_WAREHOUSE_PASSWORD", "bench-secret");
            pb.environment().put("INLET_API_TOKEN", "bench-token");
            long launch = System.nanoTime();
            Process p = pb.start();
            HttpClient http = HttpClient.newHttpClient();
            String api = "http://127.0.0.1:" + apiPort;
            while (!ready(http, api) && p.isAlive()) {
                Thread.sleep(5);
            }
            long ready = System.nanoTime();
            long start = System.nanoTime();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/sql"))
                    .header("Authorization", "Bearer bench-token")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", create)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 200) {
                throw new IllegalStateException("CREATE ROUTINE LOAD answered " + created.body());
            }
            long first = -1, at10 = -1, at50 = -1, at90 = -1, end = -1;
            long deadline = start + Duration.ofMinutes(5).toNanos();
            long peakRss = 0;
            while (System.nanoTime() < deadline && p.isAlive()) {
                long rows = server.rowCount("bench", "users");
                long now = System.nanoTime();
                if (first < 0 && rows > 0) {
                    first = now;
                }
                if (at10 < 0 && rows >= messages / 10) {
                    at10 = now;
                }
                if (at50 < 0 && rows >= messages / 2) {
                    at50 = now;
                }
                if (at90 < 0 && rows >= messages * 9L / 10) {
                    at90 = now;
                }
                if (rows >= messages) {
                    end = now;
                    break;
                }
                peakRss = Math.max(peakRss, LoadBenchmark.peakRss(p.pid()));
                Thread.sleep(2);
            }
            peakRss = Math.max(peakRss, LoadBenchmark.peakRss(p.pid()));
            double cpu = LoadBenchmark.cpuSeconds(p.pid());
            if (System.getenv("INLET_BENCH_THREADS") != null) {
                LoadBenchmark.printThreadCpu("Inlet → Stream Load", Map.of(), LoadBenchmark.threadCpu(p.pid()));
            }
            p.destroy();
            p.waitFor();
            if (end < 0) {
                throw new IllegalStateException("not every row arrived; service log: " + work.resolve("service.log"));
            }
            double bytesPerRow = (double) bytes / messages;
            double steadySeconds = (at90 - at10) / 1e9;
            double steadyRows = messages * 0.8 / steadySeconds;
            double rawRate = messages / rawSeconds;
            System.out.printf("%n| Inlet → Stream Load test server (%,d JSON messages, %.0f B, 3 partitions; pushdown) | value |%n",
                    messages, bytesPerRow);
            System.out.println("|---|---|");
            System.out.printf("| service start: launch of `inlet run` → API answers | %.2f s |%n", (ready - launch) / 1e9);
            System.out.printf("| total: CREATE ROUTINE LOAD → last row committed | %.2f s |%n", (end - start) / 1e9);
            System.out.printf("| first committed rows after CREATE | %.2f s |%n", (first - start) / 1e9);
            System.out.printf("| total from the launch of `inlet run` | %.2f s |%n", (end - launch) / 1e9);
            System.out.printf("| steady state (10%% → 90%% of rows) | %,.0f rows/s, %.1f MB/s |%n", steadyRows,
                    steadyRows * bytesPerRow / 1e6);
            double late = messages * 0.4 / ((at90 - at50) / 1e9);
            System.out.printf("| second half (50%% → 90%% of rows) | %,.0f rows/s (%.2f × raw) |%n", late, late / (messages / rawSeconds));
            System.out.printf("| KafkaConsumer raw (byte[]), same topic | %,.0f rows/s, %.1f MB/s |%n", rawRate,
                    rawRate * bytesPerRow / 1e6);
            System.out.printf("| steady state / raw consumer | %.2f × |%n", steadyRows / rawRate);
            System.out.printf("| peak RSS of the service (VmHWM) | %d MB |%n", peakRss / (1024 * 1024));
            System.out.printf("| service CPU per row | %.2f µs |%n", cpu * 1e6 / messages);
        }
    }

    private static boolean ready(HttpClient http, String api) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(api + "/healthz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    static byte[] message(SplittableRandom r) {
        long registertime = 1_493_596_800_000L + r.nextLong(7L * 24 * 3600 * 1000);
        return ("{\"registertime\":" + registertime + ",\"userid\":\"User_" + r.nextInt(1_000_000)
                + "\",\"regionid\":\"Region_" + r.nextInt(10) + "\",\"gender\":\"" + GENDERS[r.nextInt(3)] + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A cluster that has ever run a transaction has its transaction log; this fresh one creates it
     * (50 partitions) on the first, which is not what a start of Inlet costs.
     */
    static void createTransactionLog(EmbeddedKafkaBroker broker) {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-warm-up"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            p.initTransactions();
        }
    }

}
