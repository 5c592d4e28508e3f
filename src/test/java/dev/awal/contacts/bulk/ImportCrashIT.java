package dev.awal.contacts.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.HmacSigner;
import dev.awal.contacts.support.StandalonePostgres;

/**
 * SIGKILL in the middle of a 100,000-row import, against the packaged jar started as its own process: after a
 * restart on the same database and object storage, a worker takes the job over once its lease expires, resumes
 * at the last committed batch, and the job completes with every valid row imported exactly once (as many
 * contacts as distinct valid phones in the file, the job's counts adding up to the file's rows).
 */
class ImportCrashIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String CLIENT = "crashclient";
    private static final String WORKSPACE = "crash";
    private static final String SECRET = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    private static final int ROWS = 100_000;
    /** Bounds a hung run only; nothing is asserted about time. */
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    private static final StandalonePostgres database = new StandalonePostgres();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Map<String, String> datasource;

    @BeforeAll
    static void startDatabase() {
        datasource = database.start();
    }

    @AfterAll
    static void stopDatabase() {
        database.stop();
    }

    @Test
    void aKilledImportCompletesAfterARestartWithEveryRowOnce() throws Exception {
        Path storage = Files.createTempDirectory(Path.of("target"), "import-crash-storage");
        int port = freePort();
        Set<String> validPhones = new LinkedHashSet<>();
        byte[] csv = file(validPhones);

        Process first = start(port, storage, Path.of("target", "import-crash-it-1.log"));
        long id;
        try {
            awaitReady(port, first);
            HttpResponse<String> accepted = post(port, "/api/developer/contacts/imports", "phone_number_id=1", csv);
            assertEquals(202, accepted.statusCode(), accepted.body());
            id = Long.parseLong(accepted.body().replaceAll("(?s).*?\"data\":\\{\"id\":(\\d+).*", "$1"));
            // Killed once some batches have committed, not all.
            awaitJob(id, "running", 10_000);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, the lease stays with the dead worker
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        } finally {
            first.destroyForcibly();
        }
        Map<String, Object> killed = job(id);
        assertEquals("running", killed.get("status"), "the job was cut in the middle: " + killed);
        assertTrue((int) killed.get("committed_rows") < ROWS, "rows remained when the process died: " + killed);

        Process second = start(port, storage, Path.of("target", "import-crash-it-2.log"));
        try {
            awaitReady(port, second);
            Map<String, Object> done = awaitJob(id, "completed", ROWS);
            assertEquals(ROWS, done.get("committed_rows"));
            int created = (int) done.get("created");
            int updated = (int) done.get("updated");
            int unchanged = (int) done.get("unchanged");
            int skipped = (int) done.get("skipped");
            int failed = (int) done.get("failed");
            assertEquals(ROWS, created + updated + unchanged + skipped + failed, "every row counted once: " + done);
            try (Connection db = connect(); ResultSet rows = db.createStatement().executeQuery(
                    "SELECT count(*), count(DISTINCT phone) FROM contacts WHERE workspace = '" + WORKSPACE + "'")) {
                rows.next();
                assertEquals(validPhones.size(), rows.getInt(1), "one contact per distinct valid phone");
                assertEquals(validPhones.size(), rows.getInt(2));
            }
        } finally {
            second.destroyForcibly();
        }
    }

    /** 100,000 rows: 2% invalid, 1% repeating an earlier phone of the file. */
    private static byte[] file(Set<String> validPhones) {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("name,phone,email\n");
        List<String> written = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String phone;
            if (i % 50 == 7) {
                phone = "12";
            } else if (i % 100 == 13 && !written.isEmpty()) {
                phone = written.get(random.nextInt(written.size()));
            } else {
                phone = "9665" + (10_000_000 + i);
                written.add(phone);
                validPhones.add(phone);
            }
            csv.append("Crash ").append(i).append(",+").append(phone).append(",crash").append(i).append("@example.com\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Process start(int port, Path storage, Path log) throws IOException {
        assertTrue(Files.exists(JAR), "run after packaging: " + JAR);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx384m", "-jar", JAR.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", datasource.get("quarkus.datasource.reactive.url"));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", datasource.get("quarkus.datasource.jdbc.url"));
        env.put("QUARKUS_DATASOURCE_USERNAME", datasource.get("quarkus.datasource.username"));
        env.put("CONTACTS_AUTH_CLIENTS__CRASHCLIENT__SECRETS", SECRET);
        env.put("CONTACTS_AUTH_CLIENTS__CRASHCLIENT__WORKSPACES", WORKSPACE);
        env.put("CONTACTS_STORAGE_FILESYSTEM_ROOT", storage.toString());
        // A short lease, so the restarted replica takes the dead one's job over soon.
        env.put("CONTACTS_IMPORTS_LEASE", "5S");
        env.put("CONTACTS_IMPORTS_POLL_INTERVAL", "1s");
        env.put("CONTACTS_IMPORTS_POLL_DELAY", "1s");
        env.put("QUARKUS_SHUTDOWN_DELAY", "0S");
        return builder.start();
    }

    private static HttpResponse<String> post(int port, String path, String query, byte[] body)
            throws IOException, InterruptedException {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String signature = HmacSigner.sign(SECRET, "POST", path, query, timestamp, body);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path + "?" + query))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "text/csv").header("X-Client-ID", CLIENT)
                .header("X-Domain", WORKSPACE).header("X-Timestamp", timestamp)
                .header("X-Awal-Signature-256", "sha256=" + signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the job's row until it has {@code status} and at least {@code committed} rows. */
    private static Map<String, Object> awaitJob(long id, String status, int committed) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        Map<String, Object> job = Map.of();
        while (Instant.now().isBefore(deadline)) {
            job = job(id);
            if (status.equals(job.get("status")) && (int) job.get("committed_rows") >= committed) {
                return job;
            }
            assertTrue(List.of("queued", "running").contains(job.get("status")), "the job ended otherwise: " + job);
            Thread.sleep(100);
        }
        throw new AssertionError("the job never reached " + status + " with " + committed + " rows: " + job);
    }

    private static Map<String, Object> job(long id) throws SQLException {
        try (Connection db = connect(); ResultSet row = db.createStatement().executeQuery(
                "SELECT status, committed_rows, created, updated, unchanged, skipped, failed FROM import_jobs WHERE id = " + id)) {
            assertTrue(row.next(), "job " + id + " exists");
            Map<String, Object> job = new HashMap<>();
            job.put("status", row.getString(1));
            for (int i = 2; i <= 7; i++) {
                job.put(row.getMetaData().getColumnName(i), row.getInt(i));
            }
            return job;
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(datasource.get("quarkus.datasource.jdbc.url"),
                datasource.get("quarkus.datasource.username"), "");
    }

    private static void awaitReady(int port, Process app) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            assertTrue(app.isAlive(), "the application died");
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the application never became ready");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
