package io.inlet.sink.streamload;

import io.inlet.streamload.StreamLoadBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The body of one batch, streamed while the task still reads it: the task frames its messages
 * ({@code [m1,m2,...]}, lines or CSV rows) into a few fixed chunks that the load request's thread
 * sends as they fill. A batch never sits whole in memory, whatever max_batch_size allows, and
 * sending overlaps reading. The body streams once: a load that must be repeated is read again
 * from Kafka.
 *
 * <p>One writer (the task) and one reader (the load request). When the reader goes away early (the
 * warehouse answered before taking the whole body), {@link #add} says so instead of blocking; when
 * the writer gives up ({@link #abort}), the reader fails, so that the request ends without a
 * complete body.
 */
final class BodyPipe implements StreamLoadBody {

    static final int CHUNK = 512 * 1024;
    private static final int CHUNKS = 6;
    private static final long WAIT_MS = 100;

    private record Chunk(byte[] data, int length) {}

    private static final Chunk END = new Chunk(new byte[0], -1);

    private final BodyFormat format;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private byte[] current;
    /** Chunks this batch has taken so far: they are made as the body grows, up to {@value #CHUNKS}. */
    private int allocated;
    private int pos;
    private long records;
    private boolean opened;
    private volatile boolean readerGone;
    private volatile boolean aborted;
    private volatile boolean sentWhole;

    BodyPipe(BodyFormat format) {
        this.format = format;
    }

    /** Starts the next batch's body; the previous one's reader must be done with it. */
    void start() {
        release();
        current = null;
        pos = 0;
        records = 0;
        opened = false;
        readerGone = false;
        aborted = false;
        sentWhole = false;
        try {
            write(format.prefix(), 0, format.prefix().length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cannot happen: a chunk is free
        }
    }

    /**
     * Appends one record ({@code len} bytes of {@code data} from {@code off}) with the separator
     * before it; false when the reader is gone and the record went nowhere.
     */
    boolean add(byte[] data, int off, int len) throws InterruptedException {
        if (records++ > 0) {
            write(format.separator(), 0, format.separator().length);
        }
        return write(data, off, len);
    }

    long records() {
        return records;
    }

    /** Ends the body (with the suffix); the load request's answer tells whether the reader took it all. */
    void finish() throws InterruptedException {
        if (!write(format.suffix(), 0, format.suffix().length)) {
            return;
        }
        if (pos > 0) {
            full.add(new Chunk(current, pos));
            current = null;
        }
        full.add(END);
    }

    /** Whether the reader read the body to its end. */
    boolean sentWhole() {
        return sentWhole;
    }

    /**
     * Lets go of the chunks once the batch's request has its answer: a session between batches holds no memory, so
     * that what a runtime holds grows with the batches in flight, not with its jobs.
     */
    void release() {
        free.clear();
        full.clear();
        current = null;
        pos = 0;
        allocated = 0;
    }

    /** Makes the reader fail: the request ends without a complete body, so nothing of it loads. */
    void abort() {
        aborted = true;
    }

    /** The reader is done (or never came): the writer stops waiting for it. */
    void readerDone() {
        readerGone = true;
    }

    /** The body so far and as it is written; once per batch. */
    @Override
    public InputStream open() throws IOException {
        if (opened) {
            throw new IOException("the body of a batch streams once; the batch is read again from Kafka instead");
        }
        opened = true;
        return new InputStream() {
            private Chunk chunk;
            private int p;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (chunk != END && (chunk == null || p == chunk.length())) {
                    if (chunk != null) {
                        free.offer(chunk.data());
                    }
                    chunk = next();
                    p = 0;
                }
                if (chunk == END) {
                    sentWhole = true;
                    return -1;
                }
                int n = Math.min(len, chunk.length() - p);
                System.arraycopy(chunk.data(), p, b, off, n);
                p += n;
                return n;
            }

            private Chunk next() throws IOException {
                try {
                    while (true) {
                        if (aborted) {
                            throw new IOException("the batch was rolled back while its body was sent");
                        }
                        Chunk c = full.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                        if (c != null) {
                            return c;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while streaming a batch");
                }
            }

            @Override
            public void close() {
                readerGone = true;
            }
        };
    }

    private boolean write(byte[] data, int off, int len) throws InterruptedException {
        while (len > 0) {
            if (readerGone) {
                return false;
            }
            if (current == null) {
                current = free.poll();
                if (current == null && allocated < CHUNKS) {
                    current = new byte[CHUNK];
                    allocated++;
                } else if (current == null) {
                    current = free.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                }
                pos = 0;
                continue;
            }
            if (pos == CHUNK) {
                full.add(new Chunk(current, pos));
                current = null;
                continue;
            }
            int n = Math.min(len, CHUNK - pos);
            System.arraycopy(data, off, current, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
        return !readerGone;
    }
}
