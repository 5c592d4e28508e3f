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

    /**
     * Stops the current database as {@code pg_ctl stop -m <mode>} does: {@code fast} ends every
     * session (their transactions roll back) and checkpoints; {@code immediate} kills everything
     * without a checkpoint, so the next start runs crash recovery and at first answers
     * "the database system is starting up".
     */
    public static void stopDatabase(String mode) {
        current.stopServer(mode);
    }

    /** Starts the current database again, on the same port and data directory. */
    public static void startDatabase() {
        current.startServer();
    }

    private synchronized void startServer() {
        try {
            // Zonky turns synchronous_commit off for speed; a crash (immediate stop) would then lose
            // commits the service had already acknowledged, which no production database does.
            running = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).setServerConfig("synchronous_commit", "on").start();
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

    private synchronized void stopServer(String mode) {
        // pg_ctl stop -m fast / immediate sends the postmaster SIGINT / SIGQUIT and waits for it to
        // exit; done here directly because pg_ctl refuses to run as root, as builds in containers do.
        String signal = switch (mode) {
            case "fast" -> "INT";
            case "immediate" -> "QUIT";
            default -> throw new IllegalArgumentException("Unknown shutdown mode " + mode);
        };
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip());
            ProcessHandle postmaster = ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException("No postmaster with pid " + pid));
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
            postmaster.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("PostgreSQL did not stop (" + mode + ")", e);
        }
        // Releases the data directory's lock; its own stop finds the server gone, which it only logs.
        stopServer();
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
