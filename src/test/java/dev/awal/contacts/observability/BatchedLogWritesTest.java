package dev.awal.contacts.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.jboss.logmanager.handlers.OutputStreamHandler;
import org.junit.jupiter.api.Test;

class BatchedLogWritesTest {

    /** Counts flushes; its first write blocks until released, so lines queue up behind it. */
    static final class GatedStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger flushes = new AtomicInteger();
        final CountDownLatch firstWriteStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            firstWriteStarted.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static ExtLogRecord record(int i) {
        ExtLogRecord r = new ExtLogRecord(Level.INFO, "line " + i, ExtLogRecord.FormatStyle.NO_FORMAT,
                BatchedLogWritesTest.class.getName());
        r.setLoggerName("test");
        return r;
    }

    private static int publishQueued(boolean batched, GatedStream stream) throws Exception {
        OutputStreamHandler writer = new OutputStreamHandler(stream, new PatternFormatter("%s%n"));
        AsyncHandler async = new AsyncHandler(4096);
        async.addHandler(writer);
        if (batched) {
            List<?> changed = BatchedLogWrites.apply(new Handler[] { async });
            assertEquals(List.of(writer), changed);
            assertFalse(writer.isAutoFlush());
        }
        try {
            async.publish(record(0));
            assertTrue(stream.firstWriteStarted.await(30, TimeUnit.SECONDS), "the log thread never wrote");
            for (int i = 1; i < 1000; i++) {
                async.publish(record(i));
            }
            stream.release.countDown();
            // Every line reaches the stream once the queue drains, without anyone else flushing.
            for (int waited = 0; waited < 300 && !stream.text().contains("line 999\n"); waited++) {
                Thread.sleep(100);
            }
            String text = stream.text();
            for (int i = 0; i < 1000; i++) {
                assertTrue(text.contains("line " + i + "\n"), "line " + i + " missing");
            }
            return stream.flushes.get();
        } finally {
            async.close();
        }
    }

    @Test
    void queuedLinesAreWrittenTogetherAndAllArrive() throws Exception {
        int batched = publishQueued(true, new GatedStream());
        int unbatched = publishQueued(false, new GatedStream());
        // Without batching every line flushes; with it, the 999 lines queued behind the blocked first write go out
        // with a handful of flushes (one per drained queue).
        assertTrue(unbatched >= 1000, "unbatched flushes: " + unbatched);
        assertTrue(batched <= 10, "batched flushes: " + batched);
    }

    @Test
    void handlersWrittenSynchronouslyKeepFlushingEveryLine() {
        OutputStreamHandler direct = new OutputStreamHandler(OutputStream.nullOutputStream(), new PatternFormatter("%s%n"));
        AsyncHandler notFlushing = new AsyncHandler();
        OutputStreamHandler underIt = new OutputStreamHandler(OutputStream.nullOutputStream(), new PatternFormatter("%s%n"));
        notFlushing.setAutoFlush(false);
        notFlushing.addHandler(underIt);
        try {
            assertEquals(List.of(), BatchedLogWrites.apply(new Handler[] { direct, notFlushing }));
            assertTrue(direct.isAutoFlush());
            assertTrue(underIt.isAutoFlush());
        } finally {
            notFlushing.close();
        }
    }
}
