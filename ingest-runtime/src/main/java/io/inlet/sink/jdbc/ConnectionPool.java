package io.inlet.sink.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The load connections of one runtime to its warehouse: at most {@code max} open at once, shared by every job's
 * tasks, each held only while a batch is written and committed. Connections left idle for longer than
 * {@code idleMillis} are closed, so an idle runtime holds none.
 */
final class ConnectionPool implements AutoCloseable {

    /** Opens a new connection to the warehouse. */
    interface Opener {
        Connection open() throws SQLException;
    }

    private record Idle(Connection connection, long since) {}

    private final Opener opener;
    private final int max;
    private final long idleNanos;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private int open;
    private boolean closed;
    private final ScheduledExecutorService reaper;

    ConnectionPool(Opener opener, int max, long idleMillis) {
        if (max < 1) {
            throw new IllegalArgumentException("a connection pool needs at least one connection, not " + max);
        }
        this.opener = opener;
        this.max = max;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inlet-warehouse-connections");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::reap, idleMillis, idleMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void reap() {
        closeExpired();
    }

    /** A connection for one batch: an idle one, a new one while fewer than max are open, or the next one returned. */
    Connection borrow() throws SQLException {
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new SQLException("the warehouse is closed");
                }
                closeExpired();
                Idle i = idle.pollLast(); // the most recently used: the others may expire
                if (i != null) {
                    return i.connection();
                }
                if (open < max) {
                    open++;
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for one of the " + max + " warehouse connections");
                }
            }
        }
        try {
            return opener.open();
        } catch (SQLException | RuntimeException e) {
            synchronized (this) {
                open--;
                notifyAll();
            }
            throw e;
        }
    }

    /** Takes a connection back; a broken one (its transaction state unknown) is closed instead of kept. */
    void release(Connection c, boolean broken) {
        boolean keep;
        synchronized (this) {
            keep = !broken && !closed;
            if (keep) {
                idle.addLast(new Idle(c, System.nanoTime()));
            } else {
                open--;
            }
            notifyAll();
        }
        if (!keep) {
            closeQuietly(c);
        }
    }

    private void closeExpired() {
        long now = System.nanoTime();
        while (!idle.isEmpty() && now - idle.peekFirst().since() > idleNanos) {
            closeQuietly(idle.pollFirst().connection());
            open--;
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        synchronized (this) {
            closed = true;
            for (Idle i : idle) {
                closeQuietly(i.connection());
                open--;
            }
            idle.clear();
            notifyAll();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // gone already
        }
    }
}
