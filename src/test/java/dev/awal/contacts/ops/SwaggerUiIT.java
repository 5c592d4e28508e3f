package dev.awal.contacts.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.PackagedAppConfig;
import dev.awal.contacts.support.StandalonePostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/**
 * Swagger UI of the packaged service, driven in headless Chromium by src/test/ui/swagger-ui-check.mjs
 * (Playwright): authorize once, then create contacts (JSON and multipart) and list them, every
 * request signed by the page. Needs Debian's chromium (.ci/run installs it) and Node.js; the
 * script's one npm dependency is installed on first use from the pinned package-lock.json.
 */
@QuarkusIntegrationTest
@WithTestResource(StandalonePostgres.class)
@WithTestResource(PackagedAppConfig.class)
class SwaggerUiIT {

    private static final Path UI = Path.of("src", "test", "ui");
    private static final Path SCREENSHOT = Path.of("target", "swagger-ui-check.png");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

    @Test
    void swaggerUiSignsAndExecutesRealRequests() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "headless check needs Chromium at " + CHROMIUM
                + " (Debian: apt-get install chromium; or set CHROMIUM_PATH)");
        if (!Files.isDirectory(UI.resolve("node_modules").resolve("playwright-core"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        String base = RestAssured.baseURI + ":" + RestAssured.port;
        run(List.of("node", "swagger-ui-check.mjs", base, PackagedAppConfig.CLIENT, PackagedAppConfig.secret(),
                PackagedAppConfig.WORKSPACE, SCREENSHOT.toAbsolutePath().toString()), 180);
    }

    private static void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("swagger-ui-check", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(UI.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(finished, String.join(" ", command.subList(0, 2)) + " did not finish:\n" + log);
            assertEquals(0, process.exitValue(), String.join(" ", command.subList(0, 2)) + " failed:\n" + log);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
