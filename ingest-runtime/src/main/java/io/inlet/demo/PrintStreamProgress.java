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

    void update(long done, String note) {
        int width = 40;
        double fraction = total == 0 ? 1 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * width);
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("\r[%s%s] %5.1f%%  %,d/%,d rows  %,.0f rows/s  %s", "#".repeat(filled), ".".repeat(width - filled),
                fraction * 100, done, total, seconds > 0 ? done / seconds : 0.0, note);
        out.flush();
    }

    void finish() {
        out.println();
    }
}
