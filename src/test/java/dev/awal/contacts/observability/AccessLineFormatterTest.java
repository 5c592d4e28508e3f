package dev.awal.contacts.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Formatter;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

import io.quarkus.logging.json.runtime.JsonFormatter;

/** The hand-written access line is the general JSON formatter's line, byte for byte. */
class AccessLineFormatterTest {

    @Test
    void anAccessLineIsTheGeneralFormattersLine() {
        JsonFormatter json = new JsonFormatter();
        ConsoleHandler console = new ConsoleHandler(json);
        assertEquals(1, AccessLineFormatter.install(new java.util.logging.Handler[] { console }));
        Formatter fast = console.getFormatter();
        assertNotSame(json, fast);
        for (String route : new String[] { "/api/developer/contacts/{id}", "/q/\"quoted\"\\back\nline\u0007\u001f/é/ع" }) {
            ExtLogRecord record = access(route);
            assertEquals(json.format(record), fast.format(record));
        }
        ExtLogRecord probe = AccessLineFormatter.probe();
        assertEquals(json.format(probe), fast.format(probe));
        assertTrue(fast.format(probe).contains("\"route\":\"/q/\\\"probe\\\"\\\\\\t\\u0001é\""), fast.format(probe));
    }

    @Test
    void otherRecordsGoThroughTheGeneralFormatter() {
        JsonFormatter json = new JsonFormatter();
        ConsoleHandler console = new ConsoleHandler(json);
        AccessLineFormatter.install(new java.util.logging.Handler[] { console });
        ExtLogRecord other = new ExtLogRecord(Level.WARN, "something \"else\"", ExtLogRecord.FormatStyle.NO_FORMAT, "x");
        other.setLoggerName("dev.awal.contacts.other");
        other.setThrown(new IllegalStateException("boom"));
        assertEquals(json.format(other), console.getFormatter().format(other));
        ExtLogRecord failedAccess = access("/api/developer/*");
        failedAccess.setThrown(new IllegalStateException("boom"));
        assertEquals(json.format(failedAccess), console.getFormatter().format(failedAccess));
    }

    @Test
    void foundBehindQuarkusDelayedAndAsyncHandlers() {
        ConsoleHandler console = new ConsoleHandler(new JsonFormatter());
        AsyncHandler async = new AsyncHandler();
        async.addHandler(console);
        ExtHandler outer = new ExtHandler() {
        };
        outer.addHandler(async);
        assertEquals(1, AccessLineFormatter.install(new java.util.logging.Handler[] { outer }));
        assertTrue(console.getFormatter() instanceof AccessLineFormatter);
    }

    @Test
    void aJsonLayoutThatChangesTheLineKeepsTheGeneralFormatter() {
        JsonFormatter json = new JsonFormatter();
        json.setExcludedKeys(Set.of("hostName"));
        ConsoleHandler console = new ConsoleHandler(json);
        assertEquals(0, AccessLineFormatter.install(new java.util.logging.Handler[] { console }));
        assertSame(json, console.getFormatter());
    }

    private static ExtLogRecord access(String route) {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "GET " + route + " 200 1.5 ms request_id=abc",
                ExtLogRecord.FormatStyle.NO_FORMAT, org.jboss.logging.Logger.class.getName());
        record.setLoggerName(AccessLog.CATEGORY);
        Map<String, Object> fields = new HashMap<>(8);
        fields.put("method", "GET");
        fields.put("route", route);
        fields.put("status", 200);
        fields.put("duration_ms", "1.5");
        fields.put("request_id", "abc");
        record.setMdc(fields);
        return record;
    }
}
