package io.inlet.bench;

import io.inlet.source.kinesis.KinesisEmulator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's stream: {@code shards} shards holding seed 002's stock records as JSON (event_time, ticker,
 * price), put with PutRecords in batches of {@value #BATCH}. Record i goes to shard i mod shards through an explicit
 * hash key, so that the shards hold the same number of records.
 */
final class StockStream {

    static final int BATCH = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime FIRST = LocalDateTime.of(2026, 1, 1, 0, 0);
    private static final String[] TICKERS = {"AMZN", "AAPL", "MSFT", "GOOG", "NVDA", "META", "TSLA", "INTC"};

    record Filled(String stream, List<String> shardIds, long records, long bytes, double seconds) {}

    private StockStream() {
    }

    static Filled create(KinesisClient kinesis, String stream, int shards, int records) throws InterruptedException {
        KinesisEmulator.createStream(kinesis, stream, shards);
        List<Shard> listed = kinesis.listShards(b -> b.streamName(stream)).shards();
        SplittableRandom random = new SplittableRandom(2);
        long bytes = 0;
        long start = System.nanoTime();
        for (int from = 0; from < records; from += BATCH) {
            List<PutRecordsRequestEntry> batch = new ArrayList<>(BATCH);
            for (int i = from; i < Math.min(records, from + BATCH); i++) {
                byte[] data = json(i, random);
                bytes += data.length;
                Shard shard = listed.get(i % listed.size());
                batch.add(PutRecordsRequestEntry.builder().partitionKey(TICKERS[i % TICKERS.length])
                        .explicitHashKey(shard.hashKeyRange().startingHashKey()).data(SdkBytes.fromByteArray(data))
                        .build());
            }
            PutRecordsResponse r = kinesis.putRecords(b -> b.streamName(stream).records(batch));
            if (r.failedRecordCount() != null && r.failedRecordCount() > 0) {
                throw new IllegalStateException(r.failedRecordCount() + " records of a PutRecords batch failed");
            }
        }
        return new Filled(stream, listed.stream().map(Shard::shardId).toList(), records, bytes,
                (System.nanoTime() - start) / 1e9);
    }

    static byte[] json(int i, SplittableRandom random) {
        return ("{\"event_time\": \"" + FIRST.plusSeconds(i).format(TIME) + "\", \"ticker\": \""
                + TICKERS[random.nextInt(TICKERS.length)] + "\", \"price\": " + (random.nextInt(100_000) / 100.0) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
