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

    private static Path dataDirectory;
    private static int port;
    private static EmbeddedPostgres running;

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
        startDatabase();
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "");
    }

    /** Starts the database (again), on the same port and data directory. */
    public static synchronized void startDatabase() {
        try {
            running = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the standalone PostgreSQL", e);
        }
    }

    /** Stops the database; the data stays for {@link #startDatabase()}. */
    public static synchronized void stopDatabase() {
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
            stopDatabase();
        }
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
