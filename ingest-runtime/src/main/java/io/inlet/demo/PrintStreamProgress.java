package io.inlet.demo;

import java.io.PrintStream;

/** A one-line progress bar redrawn in place. */
final class PrintStreamProgress {

    private final PrintStream out;
    private final long total;
    private final long started = System.nanoTime();

    PrintStreamProgress(PrintStream out, long total) {
        this.out = out;
        this.total = total;
    }

    /** {@code #} for committed rows, {@code =} for rows read into batches that are not committed yet. */
    void update(long committed, long reading, String note) {
        int width = 40;
        int filled = cells(committed, width);
        int read = Math.max(0, Math.min(width, cells(committed + reading, width)) - filled);
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("\r[%s%s%s] %5.1f%%  %,d/%,d rows committed  %,.0f rows/s  %s   ", "#".repeat(filled), "=".repeat(read),
                ".".repeat(width - filled - read), total == 0 ? 100.0 : Math.min(100.0, 100.0 * committed / total),
                committed, total, seconds > 0 ? committed / seconds : 0.0, note);
        out.flush();
    }

    private int cells(long rows, int width) {
        return total == 0 ? width : (int) Math.min(width, Math.round((double) rows / total * width));
    }

    void finish() {
        out.println();
    }
}
