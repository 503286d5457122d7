package io.inlet.bench;

import java.util.ArrayList;
import java.util.List;

/** One thread per partition for the benchmark's bare loaders: runs them all, waits, and sums what each returns. */
final class PartitionThreads {

    /** The work of one partition's thread: what it loaded. */
    interface Work {
        long run(int partition) throws Exception;
    }

    private PartitionThreads() {}

    /** Runs {@code work} for partitions 0..n-1 on threads named {@code name-p}; the sum, or the first failure. */
    static long sum(int n, String name, Work work) throws InterruptedException {
        long[] results = new long[n];
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            int partition = p;
            Thread t = new Thread(() -> {
                try {
                    results[partition] = work.run(partition);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, name + "-" + p);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("partition work failed", failures.get(0));
        }
        long total = 0;
        for (long r : results) {
            total += r;
        }
        return total;
    }
}
