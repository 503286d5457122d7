package io.inlet.job;

import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime's batch slots, as StarRocks' {@code max_routine_load_task_num_per_be}: every job's tasks take turns on
 * a fixed number of threads, one batch a turn, in the order they became ready. A task with nothing to read holds no
 * thread; the number of slots is what the warehouse connections allow ({@code warehouse.max-connections} - 1).
 */
final class TaskSlots implements AutoCloseable {

    private final ThreadPoolExecutor turns;
    /** Wakes tasks that wait out a retry. */
    private final ScheduledExecutorService timer;

    TaskSlots(int slots) {
        AtomicInteger n = new AtomicInteger();
        this.turns = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "inlet-load-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inlet-load-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a turn behind the others that are ready. */
    void submit(Runnable turn) {
        turns.execute(turn);
    }

    void after(long millis, Runnable wake) {
        timer.schedule(wake, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        turns.shutdownNow();
    }
}
