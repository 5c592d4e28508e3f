package dev.awal.contacts.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.jboss.logmanager.handlers.OutputStreamHandler;
import org.junit.jupiter.api.Test;

class BatchedLogWritesTest {

    /** Collects what is written and counts the writes that reach it and the flushes. */
    static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static ExtLogRecord record(String message) {
        ExtLogRecord r = new ExtLogRecord(Level.INFO, message, ExtLogRecord.FormatStyle.NO_FORMAT,
                BatchedLogWritesTest.class.getName());
        r.setLoggerName("test");
        return r;
    }

    private static IntervalAsyncHandler handler(CountingStream stream, int capacity, long intervalMillis) {
        OutputStreamHandler writer = new OutputStreamHandler(stream, new PatternFormatter("%s%n"));
        writer.setAutoFlush(false);
        IntervalAsyncHandler handler = new IntervalAsyncHandler(capacity, TimeUnit.MILLISECONDS.toNanos(intervalMillis),
                BatchedLogWrites.BATCH, false, () -> true);
        handler.addHandler(writer);
        return handler;
    }

    /** Every line, in the order each producer queued it (lines of different producers interleave freely). */
    private static void assertAllInOrder(String text, int producers, int perProducer) {
        String[] lines = text.split("\n");
        assertEquals(producers * perProducer, lines.length, "lines written");
        int[] next = new int[producers];
        for (String line : lines) {
            String[] parts = line.split(" ");
            int producer = Integer.parseInt(parts[0].substring(1));
            assertEquals(next[producer]++, Integer.parseInt(parts[1]), "out of order: " + line);
        }
        for (int p = 0; p < producers; p++) {
            assertEquals(perProducer, next[p], "producer " + p);
        }
    }

    @Test
    void everyLineArrivesInOrderWithFewWakeUps() throws Exception {
        CountingStream stream = new CountingStream();
        IntervalAsyncHandler handler = handler(stream, 4096, 20);
        int producers = 4;
        int perProducer = 20_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    handler.publish(record("p" + producer + " " + i));
                    if (i % 100 == 0) {
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // a stream, not one burst
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        handler.close(); // writes what is still queued
        assertAllInOrder(stream.text(), producers, perProducer);
        // 80,000 lines: AsyncHandler would wake about once per line. Woken by the 20 ms timer or each 256 lines
        // waiting, the writer wakes far less often, and flushes once per batch.
        long wakeUps = handler.wakeUps();
        assertTrue(wakeUps < 80_000 / 20, "wake-ups: " + wakeUps);
        assertTrue(stream.flushes.get() < 80_000 / 20, "flushes: " + stream.flushes.get());
    }

    @Test
    void aLoneLineIsWrittenAtOnceAndAFullBatchWakesTheWriterEarly() throws Exception {
        CountingStream stream = new CountingStream();
        // An interval far longer than the test may wait: only the lines themselves can wake the writer.
        IntervalAsyncHandler handler = handler(stream, 4096, TimeUnit.MINUTES.toMillis(10));
        try {
            handler.publish(record("first"));
            waitFor(stream, "first\n"); // the idle writer was woken by the line
            long wakeUps = handler.wakeUps();
            // The writer now sleeps for its interval; fewer than a batch of lines wait for it.
            for (int i = 0; i < BatchedLogWrites.BATCH - 1; i++) {
                handler.publish(record("line " + i));
            }
            Thread.sleep(200);
            assertEquals("first\n", stream.text(), "written before a batch was waiting");
            handler.publish(record("line " + (BatchedLogWrites.BATCH - 1)));
            waitFor(stream, "line " + (BatchedLogWrites.BATCH - 1) + "\n");
            StringBuilder expected = new StringBuilder("first\n");
            for (int i = 0; i < BatchedLogWrites.BATCH; i++) {
                expected.append("line ").append(i).append('\n');
            }
            assertEquals(expected.toString(), stream.text());
            assertEquals(wakeUps + 1, handler.wakeUps(), "one wake-up for the batch");
        } finally {
            handler.close();
        }
    }

    @Test
    void closeWritesWhatIsQueued() {
        CountingStream stream = new CountingStream();
        IntervalAsyncHandler handler = handler(stream, 4096, TimeUnit.MINUTES.toMillis(10));
        handler.publish(record("first"));
        for (int i = 0; i < 100; i++) {
            handler.publish(record("line " + i)); // fewer than a batch: they wait for the (long) interval
        }
        handler.close();
        assertTrue(stream.text().endsWith("line 99\n"), stream.text());
        assertEquals(101, stream.text().split("\n").length);
    }

    @Test
    void replacesTheAsyncHandlerKeepingItsWritersAndItsQueuedLines() throws Exception {
        Logger logger = LogContext.create().getLogger("");
        CountingStream stream = new CountingStream();
        OutputStreamHandler writer = new OutputStreamHandler(stream, new PatternFormatter("%s%n"));
        AsyncHandler async = new AsyncHandler(1024);
        async.setLevel(Level.INFO);
        async.addHandler(writer);
        logger.addHandler(async);
        for (int i = 0; i < 500; i++) {
            logger.logRaw(record("line " + i));
        }
        List<IntervalAsyncHandler> installed = BatchedLogWrites.replace(logger, Duration.ofMillis(5));
        try {
            assertEquals(1, installed.size());
            assertEquals(List.of(installed.get(0)), List.of(logger.getHandlers()));
            assertFalse(writer.isAutoFlush(), "the writer still flushes every line");
            assertEquals(Level.INFO, installed.get(0).getLevel());
            for (int i = 500; i < 1000; i++) {
                logger.logRaw(record("line " + i));
            }
            waitFor(stream, "line 999\n");
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                expected.append("line ").append(i).append('\n');
            }
            assertEquals(expected.toString(), stream.text());
        } finally {
            installed.forEach(IntervalAsyncHandler::close);
        }
    }

    private static void waitFor(CountingStream stream, String text) throws InterruptedException {
        for (int waited = 0; waited < 300 && !stream.text().contains(text); waited++) {
            Thread.sleep(100);
        }
        assertTrue(stream.text().contains(text), "never written: " + text.strip());
    }
}
