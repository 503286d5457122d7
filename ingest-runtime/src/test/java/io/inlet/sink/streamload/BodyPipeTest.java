package io.inlet.sink.streamload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class BodyPipeTest {

    private static CompletableFuture<byte[]> readAll(BodyPipe pipe) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = pipe.open()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[7_000]; // not a divisor of the chunk size
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                pipe.readerDone();
            }
        });
    }

    private static byte[] filled(int size, char c) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void streamsTheFramedBodyAcrossChunksAndBatches() throws Exception {
        BodyPipe pipe = new BodyPipe(BodyFormat.jsonArray());
        for (int batch = 0; batch < 3; batch++) {
            pipe.start();
            CompletableFuture<byte[]> read = readAll(pipe);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write('[');
            // many more bytes than the pipe holds: the writer waits for the reader
            for (int i = 0; i < 40; i++) {
                byte[] m = i % 3 == 0 ? filled(BodyPipe.CHUNK + 17, 'x') : ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                if (i > 0) {
                    expected.write(',');
                }
                expected.write(m);
                assertTrue(pipe.add(m, 0, m.length));
            }
            expected.write(']');
            pipe.finish();
            assertArrayEquals(expected.toByteArray(), read.get());
            assertTrue(pipe.sentWhole());
            assertEquals(40, pipe.records());
        }
    }

    @Test
    void aWriterStopsWaitingOnceTheReaderHasGone() throws Exception {
        BodyPipe pipe = new BodyPipe(BodyFormat.jsonLines());
        pipe.start();
        pipe.readerDone(); // the warehouse answered without asking for the body
        byte[] m = filled(BodyPipe.CHUNK, 'y');
        boolean taken = true;
        for (int i = 0; i < 20 && taken; i++) {
            taken = pipe.add(m, 0, m.length);
        }
        assertFalse(taken);
        assertFalse(pipe.sentWhole());
    }

    @Test
    void anAbortedBodyFailsItsReaderInsteadOfEnding() throws Exception {
        BodyPipe pipe = new BodyPipe(BodyFormat.csv(new byte[]{'\n'}));
        pipe.start();
        CompletableFuture<byte[]> read = readAll(pipe);
        byte[] row = "1,a".getBytes(StandardCharsets.UTF_8);
        assertTrue(pipe.add(row, 0, row.length));
        pipe.abort();
        ExecutionException e = assertThrows(ExecutionException.class, read::get);
        assertInstanceOf(IOException.class, e.getCause().getCause());
        assertFalse(pipe.sentWhole());

        pipe.start(); // the next batch streams normally
        CompletableFuture<byte[]> next = readAll(pipe);
        assertTrue(pipe.add(row, 0, row.length));
        pipe.finish();
        assertEquals("1,a\n", new String(next.get(), StandardCharsets.UTF_8));
    }

    @Test
    void aBatchStreamsOnce() throws Exception {
        BodyPipe pipe = new BodyPipe(BodyFormat.jsonArray());
        pipe.start();
        pipe.open().close();
        IOException e = assertThrows(IOException.class, pipe::open);
        assertTrue(e.getMessage().contains("read again from Kafka"), e.getMessage());
    }
}
