package dev.awal.contacts.devdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL per JVM (dev mode restarts and test classes share it). Kept in its
 * own class so the Zonky classes are only loaded when the embedded database is really used.
 */
final class EmbeddedDatabase {

    static final String USER = "postgres";
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    /**
     * Dev-mode live reload loads this class again in a fresh class loader, so the running
     * database is remembered in a system property, which outlives class loaders.
     */
    private static final String PORT_PROPERTY = "contacts.embedded-postgres.port";

    private final int port;

    private EmbeddedDatabase(int port) {
        this.port = port;
    }

    static synchronized EmbeddedDatabase start(boolean persistent) {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            return new EmbeddedDatabase(Integer.parseInt(running));
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (persistent) {
                // Dev data survives restarts of quarkus:dev; `./mvnw clean` resets it.
                Path dataDir = Path.of("target", "dev-postgres").toAbsolutePath();
                Files.createDirectories(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            EmbeddedPostgres postgres = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    LOG.debug("Embedded PostgreSQL did not stop cleanly", e);
                }
            }, "embedded-postgres-stop"));
            System.setProperty(PORT_PROPERTY, String.valueOf(postgres.getPort()));
            LOG.infof("Embedded PostgreSQL (dev/test only) listening on 127.0.0.1:%d, database postgres, user postgres",
                    postgres.getPort());
            return new EmbeddedDatabase(postgres.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port + "/postgres";
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }
}
