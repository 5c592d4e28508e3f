package dev.awal.contacts.storage;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Readiness follows whether an upload could be stored, not only whether the store's folder exists. The tests
 * run as root, for whom permissions mean nothing, so a folder is made unwritable by replacing it with a
 * plain file: creating anything beneath it then fails for everyone.
 */
@QuarkusTest
@TestProfile(StorageReadinessTest.OwnFolders.class)
class StorageReadinessTest {

    private static final Path ROOT = Path.of("target", "readiness-storage");
    private static final Path UPLOADS = Path.of("target", "readiness-uploads");

    public static class OwnFolders implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("contacts.storage.filesystem.root", ROOT.toString(),
                    "contacts.limits.upload-directory", UPLOADS.toString());
        }
    }

    @Test
    void readinessGoesDownWhileTheStoreCannotBeWrittenAndComesBack() throws IOException {
        long id = createContact();
        awaitReadiness(r -> r.statusCode() == 200);
        putAvatar(id).then().statusCode(200);

        // The root still exists and lists fine; only a write into it (through its scratch folder) fails.
        Path incoming = ROOT.resolve(".incoming");
        replaceWithFile(incoming);
        try {
            putAvatar(id).then().statusCode(503).header("Retry-After", "5")
                    .body("error", equalTo("service_unavailable"));
            // The failed upload ends any trust in an earlier probe: DOWN at once, not a few seconds later.
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'object-storage' }.status", equalTo("DOWN"));
        } finally {
            restoreFolder(incoming);
        }

        awaitReadiness(r -> r.statusCode() == 200).then().body("checks.status", everyItem(equalTo("UP")));
        putAvatar(id).then().statusCode(200);
    }

    @Test
    void readinessGoesDownWhileUploadsCannotWaitOnDisk() throws IOException {
        long id = createContact();
        awaitReadiness(r -> r.statusCode() == 200);

        replaceWithFile(UPLOADS);
        try {
            awaitReadiness(r -> r.statusCode() == 503).then()
                    .body("checks.find { it.name == 'object-storage' }.status", equalTo("DOWN"));
            putAvatar(id).then().statusCode(503).header("Retry-After", "5")
                    .body("error", equalTo("service_unavailable"));
        } finally {
            restoreFolder(UPLOADS);
        }

        awaitReadiness(r -> r.statusCode() == 200);
        putAvatar(id).then().statusCode(200);
    }

    private static long createContact() {
        return json("{\"name\":\"Ready\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201).extract().jsonPath().getLong("data.id");
    }

    private static Response putAvatar(long id) throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        // A different image each time, so a repeated upload within one second is not refused as a replay.
        image.setRGB(0, 0, (int) System.nanoTime() & 0xFFFFFF);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return signed().contentType("image/png").body(png.toByteArray())
                .put("/api/developer/contacts/" + id + "/avatar");
    }

    private static void replaceWithFile(Path folder) throws IOException {
        deleteTree(folder);
        Files.writeString(folder, "not a folder");
    }

    private static void restoreFolder(Path folder) throws IOException {
        Files.deleteIfExists(folder);
        Files.createDirectories(folder);
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Polls readiness until it satisfies {@code expected}; the deadline only bounds a hung test. */
    private static Response awaitReadiness(Predicate<Response> expected) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Response last;
        do {
            last = given().get("/q/health/ready");
            if (expected.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("readiness never reached the expected state; last: " + last.asString());
    }
}
