package dev.awal.contacts.ops;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.HmacSigner;
import dev.awal.contacts.support.StandalonePostgres;
import dev.awal.contacts.support.TestData;

/**
 * SIGTERM during a slow upload, against the packaged jar started as its own process: the upload
 * completes with its normal 201 (and Connection: close), readiness goes DOWN first, new requests are
 * refused once the pre-shutdown delay is over, an idle keep-alive connection is closed between
 * requests rather than cut by the final server close, and the process exits 0. The upload is held
 * open by this test until the refusal has been seen, so the order of events is forced, not hoped for.
 */
class GracefulShutdownIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    /**
     * Configured through environment variables as the README shows. Such ids must be lower-case
     * letters and digits: an environment variable name cannot spell a dash or a dot.
     */
    private static final String CLIENT = "opsclient";
    private static final String WORKSPACE = "ops";
    private static final String SECRET = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));

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
    void inFlightUploadFinishesNewRequestsAreRefusedAndTheProcessExitsZero() throws Exception {
        int port = freePort();
        Path log = Path.of("target", "graceful-shutdown-it.log");
        Process app = start(port, log);
        try {
            awaitStatus(port, "/q/health/ready", 200, app, log);

            Bodies.Multipart multipart = Bodies.multipart()
                    .field("name", "Slow upload")
                    .field("phone", "+" + TestData.uniquePhone())
                    .file("file", "avatar.png", "image/png", png());
            byte[] body = multipart.bytes();
            String query = "phone_number_id=77";
            String timestamp = String.valueOf(Instant.now().getEpochSecond());
            String signature = HmacSigner.sign(SECRET, "POST", "/api/developer/contacts", query, timestamp, body);

            // A keep-alive connection that has been used once and then sits idle, as a client pool keeps it.
            try (Socket idle = new Socket("127.0.0.1", port); Socket upload = new Socket("127.0.0.1", port)) {
                idle.getOutputStream().write(("GET /q/health/live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readResponse(idle.getInputStream()), startsWith("HTTP/1.1 200"));

                OutputStream out = upload.getOutputStream();
                out.write(("POST /api/developer/contacts?" + query + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1:" + port + "\r\n"
                        + "Content-Type: " + multipart.contentType() + "\r\n"
                        + "Content-Length: " + body.length + "\r\n"
                        + "X-Client-ID: " + CLIENT + "\r\nX-Domain: " + WORKSPACE + "\r\n"
                        + "X-Timestamp: " + timestamp + "\r\nX-Awal-Signature-256: sha256=" + signature + "\r\n"
                        + "\r\n").getBytes(StandardCharsets.US_ASCII));
                int half = body.length / 2;
                out.write(body, 0, half);
                out.flush();

                app.destroy(); // SIGTERM
                awaitStatus(port, "/q/health/ready", 503, app, log);
                // During the pre-shutdown delay new requests are still served; after it, they are refused.
                HttpResponse<String> refused = awaitStatus(port, "/api/developer/contacts", 503, app, log);
                assertThat(refused.body(), containsString("\"error\":\"service_unavailable\""));
                assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After on the refusal");
                assertTrue(refused.headers().firstValue("X-Request-ID").isPresent(), "X-Request-ID on the refusal");

                // While the upload still holds the drain open, the idle connection has been closed between
                // requests: a request written on it now could not be read and then lost in the final close.
                idle.setSoTimeout(15_000);
                assertEquals(-1, idle.getInputStream().read(), "the idle keep-alive connection is closed by the drain");

                for (int offset = half; offset < body.length; offset += 64) {
                    out.write(body, offset, Math.min(64, body.length - offset));
                    out.flush();
                    Thread.sleep(20);
                }
                String response = readResponse(upload.getInputStream());
                assertThat(response, startsWith("HTTP/1.1 201"));
                assertThat("the last answer on a connection says so", response.toLowerCase(),
                        containsString("connection: close"));
                assertThat(response, containsString("\"message\":\"Contact created successfully\""));
            }

            assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the process exits after draining");
            assertEquals(0, app.exitValue(), "exit status after SIGTERM; log: " + log);
            // An orderly stop says nothing alarming of the service's own: a background worker whose round meets the
            // closed database pool (the import worker polls every second here) stays quiet.
            List<String> lines = Files.readAllLines(log);
            int shutdown = 0;
            while (shutdown < lines.size() && !lines.get(shutdown).contains("Shutdown requested")) {
                shutdown++;
            }
            assertTrue(shutdown < lines.size(), "the shutdown is logged; log: " + log);
            List<String> alarming = lines.subList(shutdown, lines.size()).stream()
                    .filter(line -> line.contains("\"loggerName\":\"dev.awal."))
                    .filter(line -> line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\""))
                    .toList();
            assertEquals(List.of(), alarming, "warnings or errors of the service's own during an orderly stop");
        } finally {
            app.destroyForcibly();
        }
    }

    private static Process start(int port, Path log) throws IOException {
        assertTrue(Files.exists(JAR), "run after packaging: " + JAR);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-jar", JAR.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(environment(port));
        return builder.start();
    }

    /** Configuration the way an operator passes it: environment variables only. */
    private static Map<String, String> environment(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", datasource.get("quarkus.datasource.reactive.url"));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", datasource.get("quarkus.datasource.jdbc.url"));
        env.put("QUARKUS_DATASOURCE_USERNAME", datasource.get("quarkus.datasource.username"));
        env.put("CONTACTS_AUTH_CLIENTS__OPSCLIENT__SECRETS", SECRET);
        env.put("CONTACTS_AUTH_CLIENTS__OPSCLIENT__WORKSPACES", WORKSPACE);
        env.put("QUARKUS_SHUTDOWN_DELAY", "2S");
        env.put("CONTACTS_STORAGE_FILESYSTEM_ROOT", "target/it-storage");
        env.put("CONTACTS_IMPORTS_POLL_INTERVAL", "1s");
        env.put("CONTACTS_IMPORTS_POLL_DELAY", "0s");
        return env;
    }

    /** Polls until the path answers {@code status}; the deadline only bounds a hung test. */
    private static HttpResponse<String> awaitStatus(int port, String path, int status, Process app, Path log)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            assertTrue(app.isAlive() || status == 503, "the application died; log: " + Files.readString(log));
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == status) {
                    return response;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never answered " + status + "; last: " + last + "; log: "
                + Files.readString(log));
    }

    /** Reads one HTTP/1.1 response with a Content-Length body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = headers.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElse(0);
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
