package io.inlet.source.kafka;

import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Duration;

/**
 * The thread a consumer lives on (a KafkaConsumer is not thread-safe): the owner's loop runs there until
 * {@link #close} marks it closed and wakes the consumer out of its poll, then waits for the loop to end.
 */
public final class ConsumerThread {

    private final KafkaConsumer<?, ?> consumer;
    private final Thread thread;
    private volatile boolean closed;

    public ConsumerThread(KafkaConsumer<?, ?> consumer, Runnable loop, String name) {
        this.consumer = consumer;
        this.thread = new Thread(loop, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether {@link #close} was called: the loop ends, and a {@code WakeupException} is no failure. */
    public boolean closed() {
        return closed;
    }

    /** Ends the loop and waits up to {@code wait} for it, unless called from the loop itself. */
    public void close(Duration wait) {
        closed = true;
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
