package dev.awal.contacts.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;

/**
 * An asynchronous handler whose writer thread wakes on a short timer or when a batch is waiting, instead of for every
 * line.
 * <p>
 * JBoss LogManager's {@code AsyncHandler} hands each record over through an {@code ArrayBlockingQueue} whose
 * {@code put} signals the waiting writer: under load the writer empties the queue faster than requests fill it, so it
 * sleeps again after almost every line and each access line costs a futex wake-up, a context switch and a write
 * (measured: 1.46 futex calls, 0.74 context switches and 0.89 writes per line, about 0.02 ms of CPU per request).
 * It has no option to wait longer, and Quarkus builds it itself, hence this class (bench/results/rd-w8.md).
 * <p>
 * Here producers only enqueue. The writer drains everything queued, writes it through the nested handlers, flushes them
 * once, and then parks for {@code interval}; it is woken earlier only when {@code batch} lines are waiting or the queue
 * is full. When a drain finds nothing it parks without a timeout, and the next line wakes it, so an idle service costs
 * nothing and its first line goes out at once. Lines are written in the order they were queued. The queue is bounded:
 * when it is full the caller waits for room ({@code block}, Quarkus' default) or the line is dropped ({@code discard}),
 * as the handler it replaces was configured. {@link #close()} writes what is still queued before it returns.
 */
final class IntervalAsyncHandler extends ExtHandler {

    private final ArrayBlockingQueue<ExtLogRecord> queue;
    private final long intervalNanos;
    private final int batch;
    private final boolean discardWhenFull;
    private final Thread writer;
    /** Queued lines the writer has not taken yet; a producer crossing {@link #batch} wakes it. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** The writer is parked without a timeout: the next line must wake it. */
    private final AtomicBoolean idle = new AtomicBoolean();
    private final AtomicLong wakeUps = new AtomicLong();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param capacity lines the queue holds
     * @param interval how long the writer sleeps after writing a batch
     * @param batch lines waiting that wake the writer before its interval is over
     * @param discardWhenFull drop a line rather than wait when the queue is full
     * @param startAfter the writer's first write waits until this holds (a handler being replaced has written its
     *        queue), at most 2 s
     */
    IntervalAsyncHandler(int capacity, long intervalNanos, int batch, boolean discardWhenFull, BooleanSupplier startAfter) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.intervalNanos = intervalNanos;
        this.batch = Math.max(1, Math.min(batch, capacity));
        this.discardWhenFull = discardWhenFull;
        this.writer = new Thread(() -> run(startAfter), "log-writer");
        this.writer.setDaemon(true);
    }

    @Override
    protected void doPublish(ExtLogRecord record) {
        if (started.get() == 0 && started.compareAndSet(0, 1)) {
            writer.start();
        }
        // As AsyncHandler does: the record leaves this thread, so what it would read lazily is taken now.
        if (isCallerCalculationRequired()) {
            record.copyAll();
        } else {
            record.disableCallerCalculation();
            record.copyMdc();
        }
        if (Thread.currentThread() == writer) {
            return; // a nested handler logging about itself; queueing it could wait on the writer forever
        }
        if (closed) {
            // Shutting down: the writer may be gone, so the line is written here rather than lost.
            publishToNestedHandlers(record);
            return;
        }
        if (!queue.offer(record)) {
            if (discardWhenFull) {
                return;
            }
            LockSupport.unpark(writer);
            try {
                queue.put(record);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        int now = waiting.incrementAndGet();
        if (idle.get() ? idle.compareAndSet(true, false) : now == batch) {
            LockSupport.unpark(writer);
        }
    }

    private void run(BooleanSupplier startAfter) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!startAfter.getAsBoolean() && System.nanoTime() - giveUp < 0) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
        List<ExtLogRecord> drained = new ArrayList<>();
        for (;;) {
            int n = queue.drainTo(drained);
            if (n > 0) {
                waiting.addAndGet(-n);
                for (ExtLogRecord record : drained) {
                    publishToNestedHandlers(record);
                }
                drained.clear();
                flush();
                if (!closed) {
                    LockSupport.parkNanos(this, intervalNanos);
                    wakeUps.incrementAndGet();
                }
            } else if (closed) {
                return;
            } else {
                idle.set(true);
                // A line queued before idle was set did not wake anyone: look again before sleeping.
                if (queue.isEmpty() && !closed) {
                    LockSupport.park(this);
                    wakeUps.incrementAndGet();
                }
                idle.set(false);
            }
        }
    }

    /** How often the writer has woken up (a timer or a producer); for tests and diagnostics. */
    long wakeUps() {
        return wakeUps.get();
    }

    /** Writes what is queued, stops the writer, then closes the nested handlers. */
    @Override
    public void close() throws SecurityException {
        checkAccess();
        if (closed) {
            return;
        }
        closed = true;
        if (started.getAndSet(2) != 0) {
            LockSupport.unpark(writer);
            try {
                writer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ExtLogRecord left;
        while ((left = queue.poll()) != null) { // the writer never started, or did not finish in time
            publishToNestedHandlers(left);
        }
        flush();
        super.close();
    }
}
