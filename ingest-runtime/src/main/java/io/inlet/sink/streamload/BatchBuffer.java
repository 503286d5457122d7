package io.inlet.sink.streamload;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of one batch, framed as it is sent ({@code [m1,m2,...]}, lines or CSV rows), in chunks
 * of 1 MiB that the session reuses from batch to batch. Copying a message here lets the consumer's
 * record die young instead of being kept (and copied by the collector) until the batch commits;
 * the body is read as often as a retry needs, without copying again.
 */
final class BatchBuffer {

    private static final int CHUNK = 1 << 20;

    private final BodyFormat format;
    private final List<byte[]> chunks = new ArrayList<>();
    private int chunk;
    private int pos;
    private long records;

    BatchBuffer(BodyFormat format) {
        this.format = format;
        clear();
    }

    void clear() {
        chunk = 0;
        pos = 0;
        records = 0;
        if (chunks.isEmpty()) {
            chunks.add(new byte[CHUNK]);
        }
        // one batch's worth of chunks stays; a much larger batch's rest goes
        while (chunks.size() > 64) {
            chunks.remove(chunks.size() - 1);
        }
        write(format.prefix(), 0, format.prefix().length);
    }

    /** Appends one record ({@code len} bytes of {@code data} from {@code off}), with the separator before it. */
    void add(byte[] data, int off, int len) {
        if (records++ > 0) {
            write(format.separator(), 0, format.separator().length);
        }
        write(data, off, len);
    }

    long records() {
        return records;
    }

    /** The framed body so far, with the suffix; the buffer must not change while it is read. */
    InputStream open() {
        byte[] suffix = format.suffix();
        return new InputStream() {
            private int c;
            private int p;
            private int s;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                while (c < chunk && p == CHUNK) {
                    c++;
                    p = 0;
                }
                int limit = c < chunk ? CHUNK : pos;
                if (p < limit) {
                    int n = Math.min(len, limit - p);
                    System.arraycopy(chunks.get(c), p, b, off, n);
                    p += n;
                    return n;
                }
                if (s < suffix.length) {
                    int n = Math.min(len, suffix.length - s);
                    System.arraycopy(suffix, s, b, off, n);
                    s += n;
                    return n;
                }
                return -1;
            }
        };
    }

    private void write(byte[] data, int off, int len) {
        while (len > 0) {
            if (pos == CHUNK) {
                chunk++;
                pos = 0;
                if (chunk == chunks.size()) {
                    chunks.add(new byte[CHUNK]);
                }
            }
            int n = Math.min(len, CHUNK - pos);
            System.arraycopy(data, off, chunks.get(chunk), pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }
}
