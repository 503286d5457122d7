package io.inlet.testkit;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.job.RoutineLoadJob;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes. */
public final class Await {

    private Await() {}

    public static void until(Duration timeout, Callable<Boolean> condition, Supplier<String> whatWasExpected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + whatWasExpected.get()
                + "\n" + inletThreads(), last);
    }

    /**
     * Waits until {@code job} has committed every message of its partitions of {@code topic}: from then on a row
     * count is final, as no message is left for the job to load (a row loaded twice would already be counted).
     */
    public static void caughtUp(RoutineLoadJob job, EmbeddedKafkaBroker broker, String topic) {
        until(Duration.ofSeconds(60), () -> {
            Map<Integer, Long> ends = Topics.endOffsets(broker, topic);
            Map<Integer, Long> committed = job.progress();
            return job.uncommittedMessages() == 0 && !job.partitions().isEmpty()
                    && job.partitions().stream().allMatch(p -> ends.get(p).equals(committed.get(p)));
        }, () -> "job " + job.ref() + " to commit every message of topic " + topic + ": committed " + job.progress()
                + ", topic ends at " + Topics.endOffsets(broker, topic) + ", partitions " + job.partitions());
    }

    /** The stacks of Inlet's own threads, to show where a job is stuck. */
    static String inletThreads() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("inlet-")) {
                sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
                for (int i = 0; i < Math.min(stack.length, 25); i++) {
                    sb.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return sb.toString();
    }
}
