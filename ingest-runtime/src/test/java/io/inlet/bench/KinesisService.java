package io.inlet.bench;

import io.inlet.crash.RuntimeProcess;
import io.inlet.demo.EmbeddedKafkaBroker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code inlet run} in its own JVM with the launcher's options, loading the stream into one target: a warm-up job
 * loads the warm-up stream first (the SDK's classes, JIT, connections), then the measured job is created through the
 * API and timed from that request until the target holds every record.
 */
final class KinesisService {

    /** The launcher's options, and JSON rather than CBOR: neither emulator speaks CBOR. */
    static final List<String> JVM = concat(ManyJobsRun.LAUNCHER_JVM, "-Daws.cborEnabled=false");

    /**
     * Batches of at most 1 s rather than the default 10: the emulator serves a few thousand records a second, so with
     * 10 s batches the window would mostly measure the batch interval (a run's last batch waits for it).
     */
    static final String JOB_PROPERTIES = System.getenv().getOrDefault("INLET_BENCH_JOB_PROPERTIES",
            ", 'max_batch_interval' = '1'");

    static final String TABLE = "stock";
    static final String WARMUP_TABLE = "stock_warmup";

    private record Sample(long nanos, long rows) {}

    private KinesisService() {
    }

    static KinesisResult run(KinesisTarget target, Path dir, StockStream.Filled warmup, StockStream.Filled stream,
                             URI endpoint) throws Exception {
        Files.createDirectories(dir);
        int port = EmbeddedKafkaBroker.freePort();
        Path config = Files.writeString(dir.resolve("inlet.yaml"),
                target.config() + "api:\n  listen: 127.0.0.1:" + port + "\n");
        Map<String, String> env = new HashMap<>(target.environment());
        env.put("INLET_API_TOKEN", LoadBenchmark.TOKEN);
        Process p = RuntimeProcess.start(dir, config, dir.resolve("inlet.log"), env, JVM);
        try {
            LoadBenchmark.await(p, () -> healthy(port), target.path() + " start", dir);
            LoadBenchmark.Api api = new LoadBenchmark.Api(port);
            if (!create(api, target, WARMUP_TABLE, warmup, endpoint)) {
                return KinesisResult.notRun(target.path(), "not supported by this build");
            }
            LoadBenchmark.await(p, () -> target.rows(api, WARMUP_TABLE) >= warmup.records(), target.path()
                    + " warm-up", dir);
            double cpuAtStart = LoadBenchmark.cpuSeconds(p.pid());
            long start = System.nanoTime();
            create(api, target, TABLE, stream, endpoint);
            List<Sample> timeline = new ArrayList<>();
            LoadBenchmark.await(p, () -> {
                long rows = target.rows(api, TABLE);
                timeline.add(new Sample(System.nanoTime(), rows));
                return rows >= stream.records();
            }, target.path(), dir);
            double seconds = (System.nanoTime() - start) / 1e9;
            printTimeline(target.path(), start, timeline);
            double cpu = LoadBenchmark.cpuSeconds(p.pid()) - cpuAtStart;
            long rss = LoadBenchmark.peakRss(p.pid());
            String wrong = target.exactlyOnce(TABLE, stream.records());
            if (wrong != null) {
                throw new IllegalStateException(target.path() + " did not load each record once: " + wrong);
            }
            return new KinesisResult(target.path(), stream.records(), stream.bytes(), seconds,
                    steadyRate(timeline, stream.records()), rss, cpu, null);
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Creates the table and its job {@code <table>_job}; false when the runtime refuses Kinesis there. */
    private static boolean create(LoadBenchmark.Api api, KinesisTarget target, String table,
                                  StockStream.Filled stream, URI endpoint) throws Exception {
        target.createTable(table);
        try {
            api.sql(statement(table, stream.stream(), endpoint));
            return true;
        } catch (IllegalStateException refused) {
            if (refused.getMessage().contains("not supported")) {
                return false;
            }
            throw refused;
        }
    }

    static String statement(String table, String stream, URI endpoint) {
        return """
                CREATE ROUTINE LOAD %s ON %s
                PROPERTIES ('format' = 'json'%s)
                FROM KINESIS ('aws.region' = 'us-east-1', 'aws.access_key' = 'testing', 'aws.secret_key' = 'testing',
                              'kinesis_stream' = '%s', 'aws.endpoint' = '%s',
                              'property.kinesis_default_pos' = 'TRIM_HORIZON')""".formatted(table + "_job", table,
                JOB_PROPERTIES, stream, endpoint);
    }

    /** Records/s between the first polls that saw 10% and 90% of the records; null if they were the same poll. */
    private static Double steadyRate(List<Sample> timeline, long records) {
        Sample from = timeline.stream().filter(s -> s.rows() >= records / 10).findFirst().orElseThrow();
        Sample to = timeline.stream().filter(s -> s.rows() >= records * 9 / 10).findFirst().orElseThrow();
        return to.nanos() == from.nanos() ? null : (to.rows() - from.rows()) / ((to.nanos() - from.nanos()) / 1e9);
    }

    /** When the first rows were in; with {@code INLET_BENCH_TIMELINE} every poll that saw more (ms:rows). */
    private static void printTimeline(String path, long start, List<Sample> timeline) {
        StringBuilder polls = new StringBuilder();
        long last = 0;
        for (Sample s : timeline) {
            if (s.rows() > last) {
                polls.append(String.format(" %d:%d", (s.nanos() - start) / 1_000_000, s.rows()));
                last = s.rows();
            }
        }
        Sample first = timeline.stream().filter(s -> s.rows() > 0).findFirst().orElseThrow();
        System.err.printf("%s: first rows %.1f s after CREATE%n", path, (first.nanos() - start) / 1e9);
        if (System.getenv("INLET_BENCH_TIMELINE") != null) {
            System.err.println("timeline of " + path + " (ms after CREATE:rows):" + polls);
        }
    }

    private static boolean healthy(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/healthz")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private static List<String> concat(List<String> options, String option) {
        List<String> out = new ArrayList<>(options);
        out.add(option);
        return List.copyOf(out);
    }
}
