package dev.awal.contacts.observability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Handler;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.jboss.logmanager.handlers.WriterHandler;

import io.quarkus.runtime.StartupEvent;

/**
 * Writes the asynchronous log handlers' lines in batches: the writer thread wakes every {@code write-interval} (or
 * when {@value #BATCH} lines wait), writes what queued up and flushes once, instead of waking, writing and flushing
 * for every line.
 * <p>
 * Every request writes one access line. With {@code quarkus.log.console.async.enabled=true} Quarkus puts the console
 * under JBoss LogManager's {@link AsyncHandler}, which wakes its thread for each line (see
 * {@link IntervalAsyncHandler} for the measured cost). Quarkus has no setting to change that, so at start each
 * {@link AsyncHandler} on the root logger is replaced by an {@link IntervalAsyncHandler} with the same queue length,
 * overflow action, level, filter and nested handlers, and writer handlers under it stop flushing every line (it
 * flushes them once per batch). A line waits at most about {@code write-interval} before it is written; a normal
 * shutdown closes the handler, which writes what is still queued. What a hard kill can lose is unchanged in kind:
 * lines still queued when the process dies.
 */
@ApplicationScoped
public class BatchedLogWrites {

    /** Lines waiting that wake the writer before its interval is over. */
    static final int BATCH = 256;

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "contacts.logging.batched-writes", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "contacts.logging.write-interval", defaultValue = "5ms") Duration interval) {
        if (enabled) {
            replace(LogContext.getLogContext().getLogger(""), interval);
        }
    }

    /**
     * Replaces every {@link AsyncHandler} on {@code logger}, or nested in its handlers (Quarkus puts the configured
     * handlers under a delayed handler of its own), by an {@link IntervalAsyncHandler}; returns the new ones.
     */
    static List<IntervalAsyncHandler> replace(Logger logger, Duration interval) {
        List<IntervalAsyncHandler> installed = new ArrayList<>();
        for (Handler handler : logger.getHandlers()) {
            replace(handler, logger::addHandler, logger::removeHandler, interval, installed);
        }
        return installed;
    }

    /** Swaps {@code handler} through its owner's {@code add}/{@code remove} if it is an AsyncHandler, else looks inside. */
    private static void replace(Handler handler, Consumer<Handler> add, Consumer<Handler> remove, Duration interval,
            List<IntervalAsyncHandler> installed) {
        if (handler instanceof AsyncHandler old) {
            IntervalAsyncHandler batched = batching(old, interval);
            add.accept(batched);
            remove.accept(old);
            retire(old);
            installed.add(batched);
        } else if (handler instanceof ExtHandler parent) {
            for (Handler nested : parent.getHandlers()) {
                replace(nested, parent::addHandler, parent::removeHandler, interval, installed);
            }
        }
    }

    private static IntervalAsyncHandler batching(AsyncHandler old, Duration interval) {
        Handler[] nested = old.getHandlers();
        // The old handler's thread empties its handler list after writing what it had queued (retire): the new
        // writer starts after that, so lines keep their order across the switch.
        IntervalAsyncHandler batched = new IntervalAsyncHandler(old.getQueueLength(), interval.toNanos(), BATCH,
                old.getOverflowAction() == AsyncHandler.OverflowAction.DISCARD, () -> old.getHandlers().length == 0);
        batched.setLevel(old.getLevel());
        batched.setFilter(old.getFilter());
        batched.setHandlers(nested);
        for (Handler writer : nested) {
            if (writer instanceof WriterHandler w) {
                w.setAutoFlush(false); // flushed once per batch
            }
        }
        return batched;
    }

    /** Stops the old handler's thread once it has written its queue, leaving the handlers it shares open. */
    private static void retire(AsyncHandler old) {
        old.setCloseChildren(false);
        old.close();
    }
}
