package io.inlet.job;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent error rows of a job, each with where it came from and why it was rejected.
 * Bounded: a flood of bad messages cannot exhaust memory. SHOW's ErrorLogUrls points here.
 */
public final class ErrorLog {

    /** One rejected row: source partition and offset, the reason, and the raw message, truncated. */
    public record Entry(Instant time, String partition, long offset, String reason, String raw) {}

    public static final int RAW_LIMIT = 512;
    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long total;

    public ErrorLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(String partition, long offset, String reason, byte[] raw) {
        String text = raw == null ? "" : new String(raw, 0, Math.min(raw.length, RAW_LIMIT), StandardCharsets.UTF_8);
        if (raw != null && raw.length > RAW_LIMIT) {
            text += "...(" + raw.length + " bytes)";
        }
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(Instant.now(), partition, offset, reason, text));
        total++;
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public synchronized long total() {
        return total;
    }

    /** A sample reason for ReasonOfStateChanged. */
    public synchronized String lastReason() {
        Entry e = entries.peekLast();
        return e == null ? "" : e.reason() + " (partition " + e.partition() + ", offset " + e.offset() + ")";
    }
}
