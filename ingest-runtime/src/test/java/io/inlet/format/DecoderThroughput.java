package io.inlet.format;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Throughput sanity check of the decoders on one thread (not a unit test, no JMH). Run with
 * {@code java -cp <test-classes>:<classes>:<jackson-core> io.inlet.format.DecoderThroughput [messages]}.
 * Prints messages (rows) per second for seed-001-style JSON with 4 top-level jsonpaths and for seed-000-style
 * CSV rows.
 */
public final class DecoderThroughput {

    private static final int POOL = 4096;
    private static final int WARMUP_ROUNDS = 3;
    private static final int ROUNDS = 5;

    private static long rowsSeen;
    private static Object lastValue;

    private DecoderThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;

        byte[][] json = new byte[POOL][];
        long jsonBytes = 0;
        for (int i = 0; i < POOL; i++) {
            json[i] = ("{\"registertime\":" + (1493987388929L + i * 7919L) + ",\"userid\":\"User_" + (i % 10)
                    + "\",\"regionid\":\"Region_" + (i % 9) + "\",\"gender\":\""
                    + (i % 3 == 0 ? "OTHER" : i % 3 == 1 ? "FEMALE" : "MALE")
                    + "\",\"viewtime\":" + (i * 13) + ",\"pageid\":\"Page_" + (i % 97)
                    + "\",\"ip\":\"192.168." + (i % 256) + "." + (i % 7) + "\",\"ok\":true}").getBytes(StandardCharsets.UTF_8);
            jsonBytes += json[i].length;
        }
        Decoder jsonPaths = Decoders.create(new DecoderSpec("json",
                List.of("userid", "regionid", "gender", "registertime"),
                List.of("$.userid", "$.regionid", "$.gender", "$.registertime"), null, false, null, null, null, null,
                false));
        Decoder jsonByName = Decoders.create(new DecoderSpec("json",
                List.of("userid", "regionid", "gender", "registertime"), null, null, false, null, null, null, null,
                false));

        byte[][] csv = new byte[POOL][];
        long csvBytes = 0;
        for (int i = 0; i < POOL; i++) {
            csv[i] = ((2020050800L + i) + ",20200508,Johann Georg Faust " + (i % 50) + ",Deutschland,"
                    + (i % 2 == 0 ? "male" : "female") + "," + (800 + i % 500)).getBytes(StandardCharsets.UTF_8);
            csvBytes += csv[i].length;
        }
        byte[][] csvBatches = new byte[POOL / 100 + 1][];
        for (int b = 0; b < csvBatches.length; b++) {
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < 100; r++) {
                sb.append(new String(csv[(b * 100 + r) % POOL], StandardCharsets.UTF_8)).append('\n');
            }
            csvBatches[b] = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        Decoder csvDecoder = Decoders.create(new DecoderSpec("csv",
                List.of("order_id", "pay_dt", "customer_name", "nationality", "temp_gender", "price"), null, null,
                false, ",", null, null, null, false));
        Decoder csvEnclosed = Decoders.create(new DecoderSpec("csv",
                List.of("order_id", "pay_dt", "customer_name", "nationality", "temp_gender", "price"), null, null,
                false, ",", null, "\"", "\\\\", true));

        System.out.printf(Locale.ROOT, "JSON message: %d bytes avg, e.g. %s%n", jsonBytes / POOL,
                new String(json[0], StandardCharsets.UTF_8));
        System.out.printf(Locale.ROOT, "CSV row:      %d bytes avg, e.g. %s%n", csvBytes / POOL,
                new String(csv[0], StandardCharsets.UTF_8));
        run("json, 4 top-level jsonpaths", jsonPaths, json, n, 1);
        run("json, no jsonpaths (by name)", jsonByName, json, n, 1);
        run("csv, 1 row per message", csvDecoder, csv, n, 1);
        run("csv, 100 rows per message", csvDecoder, csvBatches, n / 100, 100);
        run("csv, enclose+escape+trim on", csvEnclosed, csv, n, 1);
        System.out.println("(rows seen: " + rowsSeen + ", last " + lastValue + ")");
    }

    private static void run(String name, Decoder d, byte[][] pool, int messages, int rowsPerMessage)
            throws DecodeException {
        RowConsumer sink = values -> {
            rowsSeen++;
            lastValue = values[values.length - 1];
        };
        double best = 0;
        double[] rates = new double[ROUNDS];
        for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
            long t0 = System.nanoTime();
            int mask = pool.length;
            for (int i = 0; i < messages; i++) {
                d.decode(pool[i % mask], sink);
            }
            long ns = System.nanoTime() - t0;
            if (round >= WARMUP_ROUNDS) {
                double rate = messages * 1e9 / ns;
                rates[round - WARMUP_ROUNDS] = rate;
                best = Math.max(best, rate);
            }
        }
        java.util.Arrays.sort(rates);
        double median = rates[ROUNDS / 2];
        System.out.printf(Locale.ROOT, "%-32s %,12.0f messages/s (%,12.0f rows/s) median of %d x %,d; best %,.0f%n",
                name, median, median * rowsPerMessage, ROUNDS, messages, best);
    }
}
