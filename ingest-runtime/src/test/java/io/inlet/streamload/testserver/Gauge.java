package io.inlet.streamload.testserver;

import java.util.concurrent.atomic.AtomicInteger;

/** How many of something (connections, requests) are open now, and the most that were open at once. */
final class Gauge {

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    void up() {
        peak.accumulateAndGet(open.incrementAndGet(), Math::max);
    }

    void down() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    int peak() {
        return peak.get();
    }
}
