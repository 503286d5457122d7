package io.inlet.bench;

/**
 * One row of the Kinesis benchmark's table. {@code seconds} is the whole window (for the service: from CREATE to the
 * last row); {@code steadyRate} the records/s between 10% and 90% of the rows (service rows only); {@code rssBytes}
 * and {@code steadyRate} are null where not measured; {@code note} replaces the figures of a path that did not run.
 */
record KinesisResult(String path, long records, long bytes, double seconds, Double steadyRate, Long rssBytes,
                     Double cpuSeconds, String note) {

    static KinesisResult reference(String path, StockStream.Filled stream, double seconds, double cpuSeconds) {
        return new KinesisResult(path, stream.records(), stream.bytes(), seconds, null, null, cpuSeconds, null);
    }

    static KinesisResult notRun(String path, String note) {
        return new KinesisResult(path, 0, 0, Double.NaN, null, null, null, note);
    }

    double recordsPerSecond() {
        return records / seconds;
    }
}
