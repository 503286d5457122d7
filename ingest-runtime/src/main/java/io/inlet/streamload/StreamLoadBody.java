package io.inlet.streamload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The body of one load, opened afresh for every attempt that sends it: the client asks for it
 * only once the BE has answered {@code 100 Continue}, so the FE's redirect or a rejected label
 * costs nothing, and streams it in chunks (chunked transfer encoding) without holding it whole.
 */
@FunctionalInterface
public interface StreamLoadBody {

    /** A stream of the body for one attempt; the client closes it. */
    InputStream open() throws IOException;

    /** Streams what the supplier returns; the supplier is called once per attempt that sends the body. */
    static StreamLoadBody ofInputStream(Supplier<? extends InputStream> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return supplier::get;
    }

    static StreamLoadBody ofBytes(byte[] data) {
        Objects.requireNonNull(data, "data");
        return () -> new ByteArrayInputStream(data);
    }

    static StreamLoadBody ofString(String data) {
        return ofBytes(data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Records joined without copying them into one buffer: {@code prefix r1 separator r2 ...
     * separator rN suffix}. JSON messages as an array: {@code ("[", ",", "]")}; newline-delimited:
     * {@code ("", "\n", "\n")}; CSV rows: {@code ("", rowDelimiter, rowDelimiter)} (the
     * transaction interface wants every row terminated).
     */
    static StreamLoadBody joined(List<byte[]> records, byte[] prefix, byte[] separator, byte[] suffix) {
        Objects.requireNonNull(records, "records");
        byte[] p = prefix == null ? new byte[0] : prefix;
        byte[] s = separator == null ? new byte[0] : separator;
        byte[] x = suffix == null ? new byte[0] : suffix;
        return () -> new JoinedInputStream(records, p, s, x);
    }

    /** The byte length of {@link #joined} with the same arguments. */
    static long joinedLength(List<byte[]> records, byte[] prefix, byte[] separator, byte[] suffix) {
        long n = (prefix == null ? 0 : prefix.length) + (suffix == null ? 0 : suffix.length);
        for (byte[] r : records) {
            n += r.length;
        }
        if (!records.isEmpty() && separator != null) {
            n += (long) separator.length * (records.size() - 1);
        }
        return n;
    }

    /** Reads a list of records as one stream, interleaving the separators, without copying the list. */
    final class JoinedInputStream extends InputStream {
        private final List<byte[]> records;
        private final byte[] separator;
        private final byte[] suffix;
        /** -1: prefix; 2i: record i; 2i+1: separator after record i; 2n-1: suffix; beyond: end. */
        private int part = -1;
        private byte[] current;
        private int pos;

        JoinedInputStream(List<byte[]> records, byte[] prefix, byte[] separator, byte[] suffix) {
            this.records = records;
            this.separator = separator;
            this.suffix = suffix;
            this.current = prefix;
        }

        private boolean advance() {
            while (current == null || pos >= current.length) {
                part++;
                int n = records.size();
                if (n == 0) {
                    if (part > 0) {
                        return false;
                    }
                    current = suffix;
                } else if (part >= 2 * n) {
                    return false;
                } else if (part == 2 * n - 1) {
                    current = suffix;
                } else if (part % 2 == 0) {
                    current = records.get(part / 2);
                } else {
                    current = separator;
                }
                pos = 0;
            }
            return true;
        }

        @Override
        public int read() {
            if (!advance()) {
                return -1;
            }
            return current[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int copied = 0;
            while (copied < len && advance()) {
                int k = Math.min(len - copied, current.length - pos);
                System.arraycopy(current, pos, b, off + copied, k);
                pos += k;
                copied += k;
            }
            return copied == 0 ? -1 : copied;
        }
    }
}
