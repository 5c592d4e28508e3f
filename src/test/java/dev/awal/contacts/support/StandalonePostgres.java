package dev.awal.contacts.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL of a test's own (not the JVM-wide one of devdb), which the test may stop and start
 * again on the same port with the same data — a database outage without touching other tests.
 * Also gives the packaged application of the integration tests its database.
 */
public class StandalonePostgres implements QuarkusTestResourceLifecycleManager {

    /** The most recently started instance: the one a test's static {@link #stopDatabase()} acts on. */
    private static volatile StandalonePostgres current;

    private Path dataDirectory;
    private int port;
    private EmbeddedPostgres running;

    @Override
    public Map<String, String> start() {
        try {
            dataDirectory = Files.createTempDirectory("standalone-postgres");
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startServer();
        current = this;
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "");
    }

    /** Stops the current database; its data stays for {@link #startDatabase()}. */
    public static void stopDatabase() {
        current.stopServer();
    }

    /** Starts the current database again, on the same port and data directory. */
    public static void startDatabase() {
        current.startServer();
    }

    private synchronized void startServer() {
        try {
            running = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the standalone PostgreSQL", e);
        }
    }

    private synchronized void stopServer() {
        try {
            running.close();
            running = null;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the standalone PostgreSQL", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            stopServer();
        }
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
