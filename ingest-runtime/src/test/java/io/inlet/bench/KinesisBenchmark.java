package io.inlet.bench;

import io.inlet.source.kinesis.KinesisEmulator;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run kinesis [RECORDS]}: issue 19's "Measured". Fills a 4-shard stream of the Kinesis emulator with
 * RECORDS JSON stock records, measures the emulator's own GetRecords rate (the reference) and Inlet's shard reader
 * alone in this JVM, then Inlet end to end into PostgreSQL and into the Stream Load test server, and prints one table.
 * {@code INLET_BENCH_EMULATOR} (kinesalite, the default, or moto: slower to fill, see bench/README.md) chooses the emulator.
 */
public final class KinesisBenchmark {

    static final int SHARDS = 4;
    /** Records of the warm-up stream, which each service loads before the measured job. */
    static final int WARMUP = Integer.parseInt(System.getenv().getOrDefault("INLET_BENCH_WARMUP", "20000"));

    private KinesisBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("aws.cborEnabled", "false");
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String emulatorName = System.getenv().getOrDefault("INLET_BENCH_EMULATOR", "kinesalite");
        Path work = Files.createTempDirectory("inlet-bench-kinesis-");
        List<KinesisResult> results = new ArrayList<>();
        String emulatorVersion;
        try (KinesisEmulator emulator = start(emulatorName); KinesisClient kinesis = emulator.kinesis()) {
            emulatorVersion = version(emulatorName);
            // the warm-up stream first, so that the measured one is the emulator's newest, as in every pass
            StockStream.Filled warmup = StockStream.create(kinesis, "warmup", SHARDS, WARMUP);
            StockStream.Filled stream = StockStream.create(kinesis, "stock", SHARDS, records);
            System.err.printf(Locale.ROOT, "put %,d records, %,d bytes (%.0f bytes/record) in %.1f s (%.0f records/s)%n",
                    records, stream.bytes(), (double) stream.bytes() / records, stream.seconds(),
                    records / stream.seconds());
            // each reference reads the warm-up stream first, as the services load it first
            KinesisReaders.bare(emulator.endpoint(), warmup);
            results.add(KinesisReaders.bare(emulator.endpoint(), stream));
            KinesisReaders.stage(emulator.endpoint(), warmup);
            results.add(KinesisReaders.stage(emulator.endpoint(), stream));
            try (KinesisTarget pg = new KinesisTarget.Postgres()) {
                results.add(KinesisService.run(pg, work.resolve("postgresql"), warmup, stream, emulator.endpoint()));
            }
            try (KinesisTarget sl = new KinesisTarget.StreamLoad()) {
                results.add(KinesisService.run(sl, work.resolve("streamload"), warmup, stream, emulator.endpoint()));
            }
            print(results, stream, emulatorName + " " + emulatorVersion);
        }
        LoadBenchmark.deleteUnlessKept(work);
    }

    private static KinesisEmulator start(String name) throws Exception {
        return switch (name) {
            case "moto" -> KinesisEmulator.startMoto();
            case "kinesalite" -> KinesisEmulator.startKinesalite(Path.of("ingest-runtime", "target", "kinesalite")
                    .toAbsolutePath());
            default -> throw new IllegalArgumentException("INLET_BENCH_EMULATOR is kinesalite or moto, not " + name);
        };
    }

    private static String version(String emulator) throws Exception {
        if (emulator.equals("kinesalite")) {
            return KinesisEmulator.KINESALITE_VERSION;
        }
        Process p = new ProcessBuilder("python3", "-c", "import moto; print(moto.__version__)").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    static void print(List<KinesisResult> results, StockStream.Filled stream, String emulator) {
        KinesisResult bare = results.get(0);
        System.out.printf(Locale.ROOT, "%nInlet Kinesis benchmark: %,d JSON records (%.0f bytes each), %d shards, emulator %s,"
                        + " %d cores%n%n", stream.records(), (double) stream.bytes() / stream.records(), SHARDS, emulator,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| path | records/s | MB/s | ratio to the bare reader | steady records/s (10→90 %) "
                + "| s (CREATE → last row) | peak RSS | CPU µs/record |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|");
        for (KinesisResult r : results) {
            if (r.note() != null) {
                System.out.printf("| %s | %s | | | | | | |%n", r.path(), r.note());
                continue;
            }
            String ratio = String.format(Locale.ROOT, "%.2f ×", r.recordsPerSecond() / bare.recordsPerSecond());
            if (r.steadyRate() != null) {
                ratio += String.format(Locale.ROOT, " (steady %.2f ×)", r.steadyRate() / bare.recordsPerSecond());
            }
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %s | %s | %s | %s | %.2f |%n", r.path(),
                    r.recordsPerSecond(), r.bytes() / r.seconds() / 1e6, r == bare ? "1 (reference)" : ratio,
                    r.steadyRate() == null ? "" : String.format(Locale.ROOT, "%,.0f", r.steadyRate()),
                    r.rssBytes() == null ? "" : String.format(Locale.ROOT, "%.1f", r.seconds()),
                    r.rssBytes() == null ? "" : r.rssBytes() / (1024 * 1024) + " MB",
                    r.cpuSeconds() * 1e6 / r.records());
        }
        System.out.println();
        System.out.println("CPU µs/record: the references' reading threads (in the benchmark's JVM); the services' whole"
                + " process from CREATE to the last row.");
    }
}
