package io.inlet.bench;

import io.inlet.source.kinesis.KinesisEmulator;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.util.List;
import java.util.Locale;

/**
 * Which emulator the Kinesis benchmark reads from: the bare reader's rate (and PutRecords') on each, same records,
 * same 4 shards. Test classes; {@code java ... io.inlet.bench.KinesisEmulatorRates [RECORDS]} (default 50,000).
 */
public final class KinesisEmulatorRates {

    private KinesisEmulatorRates() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("aws.cborEnabled", "false");
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        for (String name : List.of("moto", "kinesalite")) {
            try (KinesisEmulator emulator = name.equals("moto") ? KinesisEmulator.startMoto()
                    : KinesisEmulator.startKinesalite(java.nio.file.Path.of("ingest-runtime", "target", "kinesalite")
                    .toAbsolutePath());
                 KinesisClient kinesis = emulator.kinesis()) {
                StockStream.Filled stream = StockStream.create(kinesis, "stock", KinesisBenchmark.SHARDS, records);
                KinesisResult bare = KinesisReaders.bare(emulator.endpoint(), stream);
                System.out.printf(Locale.ROOT, "%-10s PutRecords %,8.0f records/s   bare GetRecords %,9.0f records/s"
                        + " (%.2f MB/s)%n", name, records / stream.seconds(), bare.recordsPerSecond(),
                        bare.bytes() / bare.seconds() / 1e6);
            }
        }
    }
}
