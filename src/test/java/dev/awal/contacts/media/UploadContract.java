package dev.awal.contacts.media;

import static dev.awal.contacts.media.TestMedia.APP1;
import static dev.awal.contacts.media.TestMedia.COM;
import static dev.awal.contacts.media.TestMedia.ascii;
import static dev.awal.contacts.media.TestMedia.contains;
import static dev.awal.contacts.media.TestMedia.jpegSegment;
import static dev.awal.contacts.media.TestMedia.pngChunk;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.storage.ObjectKeys;
import dev.awal.contacts.storage.ObjectStorage;
import dev.awal.contacts.storage.OrphanSweeper;
import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.HmacSigner;
import dev.awal.contacts.support.OnVertx;
import dev.awal.contacts.support.StoredObjects;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.response.Response;
import io.vertx.core.Vertx;

/**
 * Avatars and branch files end to end (contract §5), run once per storage backend: what reaches the
 * store is read back from the storage server itself, never through the service.
 */
abstract class UploadContract {

    static final String CONTACTS = "/api/developer/contacts";
    static final String BRANCHES = "/api/developer/branches";
    static final String AVATAR_URL = "http://[^/]+/media/avatars/[0-9a-f]{32}\\.";
    static final String CAMERA_SERIAL = "SN-CAM-4711-0815";
    static final String COMMENT = "Shot at home by Jane Doe";
    static final int MB = 1024 * 1024;
    static final byte[] PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    @Inject
    OrphanSweeper sweeper;

    @Inject
    ObjectStorage storage;

    @Inject
    Vertx vertx;

    @TestHTTPResource("/")
    URL baseUrl;

    // ---- what is stored ----------------------------------------------------------------------

    @Test
    void multipartJpegIsStoredWithoutExifXmpOrCommentsAndWithItsPixels() {
        Set<Path> scratch = scratchFiles();
        byte[] clean = TestMedia.jpeg(120, 80);
        byte[] tagged = TestMedia.insert(clean, TestMedia.jpegApp0End(clean), TestMedia.exifApp1(CAMERA_SERIAL),
                TestMedia.xmpApp1(), jpegSegment(COM, ascii(COMMENT)));

        String avatar = createWithFile("me.jpg", "image/jpeg", tagged)
                .then().statusCode(201)
                .body("data.avatar", matchesPattern(AVATAR_URL + "jpg"))
                .extract().path("data.avatar");

        byte[] stored = StoredObjects.read(StoredObjects.keyOf(avatar));
        List<Integer> markers = TestMedia.jpegMarkersBeforeScan(stored);
        assertFalse(markers.contains(APP1), "APP1 (EXIF/XMP) left in " + markers);
        assertFalse(markers.contains(COM), "COM left in " + markers);
        assertFalse(contains(stored, ascii("Exif")));
        assertFalse(contains(stored, ascii("GPSLatitude")));
        assertFalse(contains(stored, ascii(CAMERA_SERIAL)));
        assertFalse(contains(stored, ascii(COMMENT)));
        assertArrayEquals(TestMedia.pixels(tagged), TestMedia.pixels(stored));
        assertArrayEquals(clean, stored, "only the metadata segments may be removed, pixels are not re-encoded");
        assertNoScratchFilesLeft(scratch);
    }

    @Test
    void rawPngPutIsStoredWithoutTextTimeOrExifChunksAndWithItsPixels() {
        byte[] clean = TestMedia.png(64, 48);
        byte[] tagged = TestMedia.insert(clean, TestMedia.PNG_IHDR_END,
                pngChunk("tEXt", ascii("Comment\0" + COMMENT)),
                pngChunk("iTXt", ascii("Author\0\0\0\0\0Jane Doe")),
                pngChunk("tIME", new byte[] { 7, (byte) 0xE8, 1, 15, 10, 30, 0 }),
                pngChunk("eXIf", TestMedia.exifTiff(CAMERA_SERIAL)));
        long id = createContact();

        String avatar = putAvatar(id, "image/png", tagged)
                .then().statusCode(200)
                .body("status", equalTo(true))
                .body("message", equalTo("Avatar updated successfully"))
                .body("data.id", equalTo((int) id))
                .body("data.avatar", matchesPattern(AVATAR_URL + "png"))
                .header("ETag", notNullValue())
                .extract().path("data.avatar");

        byte[] stored = StoredObjects.read(StoredObjects.keyOf(avatar));
        List<String> chunks = TestMedia.pngChunkTypes(stored);
        for (String metadata : List.of("tEXt", "iTXt", "tIME", "eXIf")) {
            assertFalse(chunks.contains(metadata), metadata + " left in " + chunks);
        }
        assertFalse(contains(stored, ascii(COMMENT)));
        assertFalse(contains(stored, ascii(CAMERA_SERIAL)));
        assertArrayEquals(TestMedia.pixels(tagged), TestMedia.pixels(stored));
        assertArrayEquals(clean, stored);
    }

    @Test
    void multipartPngAndRawJpegAreAcceptedToo() {
        byte[] png = TestMedia.png(30, 20);
        String fromForm = createWithFile("a.png", "image/png", png).then().statusCode(201)
                .body("data.avatar", matchesPattern(AVATAR_URL + "png")).extract().path("data.avatar");
        assertArrayEquals(png, StoredObjects.read(StoredObjects.keyOf(fromForm)));

        byte[] jpeg = TestMedia.jpeg(30, 20);
        String fromPut = putAvatar(createContact(), "image/jpeg", jpeg).then().statusCode(200)
                .body("data.avatar", matchesPattern(AVATAR_URL + "jpg")).extract().path("data.avatar");
        assertArrayEquals(jpeg, StoredObjects.read(StoredObjects.keyOf(fromPut)));
    }

    @Test
    void theTypeComesFromTheBytesNotTheNameOrPartType() {
        byte[] png = TestMedia.png(40, 40);

        String avatar = createWithFile("holiday.jpg", "image/jpeg", png).then().statusCode(201)
                .body("data.avatar", matchesPattern(AVATAR_URL + "png"))
                .extract().path("data.avatar");

        given().get(avatar).then().statusCode(200).header("Content-Type", "image/png");
    }

    // ---- what is refused, and leaves nothing behind --------------------------------------------

    @Test
    void htmlNamedPngIsRefusedAndNothingIsStored() {
        Set<String> before = StoredObjects.keys();
        String phone = TestData.uniquePhone();
        byte[] html = "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8);

        createWithFile(phone, "x.png", "image/png", html).then().statusCode(422)
                .body("status", equalTo(false))
                .body("error", equalTo("validation_failed"))
                .body("details.file", containsString("unrecognised signature"))
                .body("request_id", notNullValue());

        assertEquals(before, StoredObjects.keys());
        signed().get(CONTACTS + "?search=" + phone).then().statusCode(200).body("meta.total", equalTo(0));
    }

    @Test
    void truncatedImageIsRefused() {
        byte[] jpeg = TestMedia.jpeg(64, 64);
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);

        createWithFile("cut.jpg", "image/jpeg", truncated).then().statusCode(422)
                .body("error", equalTo("validation_failed"))
                .body("details.file", containsString("truncated"));
        putAvatar(createContact(), "image/jpeg", truncated).then().statusCode(422)
                .body("details.file", containsString("truncated"));
    }

    /** PUT and DELETE of the avatar honour If-Match like every other change of a contact: a stale ETag changes nothing. */
    @Test
    void avatarChangesHonourIfMatch() {
        long id = createContact();
        String path = CONTACTS + "/" + id + "/avatar";
        String etag = signed().get(CONTACTS + "/" + id).then().statusCode(200).extract().header("ETag");
        Set<String> before = StoredObjects.keys();

        signed().header("If-Match", "\"99\"").contentType("image/png").body(TestMedia.png(18, 18)).put(path).then().statusCode(412)
                .body("error", equalTo("precondition_failed"));
        assertEquals(before, StoredObjects.keys(), "the refused image is not kept");
        signed().get(CONTACTS + "/" + id).then().body("data.avatar", nullValue()).header("ETag", equalTo(etag));

        String changed = signed().header("If-Match", etag).contentType("image/png").body(TestMedia.png(19, 19)).put(path).then()
                .statusCode(200).body("data.avatar", notNullValue()).extract().header("ETag");
        assertNotEquals(etag, changed);
        signed().header("If-Match", etag).delete(path).then().statusCode(412).body("error", equalTo("precondition_failed"));
        signed().get(CONTACTS + "/" + id).then().body("data.avatar", notNullValue());
        // An ignored query parameter: the same DELETE within one second would be a replay (If-Match is not signed).
        signed().header("If-Match", changed).delete(path + "?again=1").then().statusCode(200).body("data.avatar", nullValue());
    }

    @Test
    void headerClaimingMoreThan40MegapixelsIsRefusedWithoutDecoding() {
        byte[] bomb = TestMedia.withPngSize(TestMedia.png(16, 16), 8000, 6000);
        Set<String> before = StoredObjects.keys();

        putAvatar(createContact(), "image/png", bomb).then().statusCode(422)
                .body("error", equalTo("validation_failed"))
                .body("details.file", containsString("48.0 megapixels"))
                .body("details.file", containsString("limit is 40 megapixels"));
        assertEquals(before, StoredObjects.keys());
    }

    /**
     * The router takes the normalized path (%-escapes of plain characters decoded, '//' and '/./' collapsed) and a
     * trailing slash; the body reader chose between "raw file" and "JSON body" by the raw path without one, so such a
     * PUT of an image was read as JSON: 400 "The request body is empty" (413 past the JSON limit) instead of the avatar.
     */
    @Test
    void aRawAvatarIsReadAsAFileWhicheverFormOfItsPathIsSent() {
        byte[] png = TestMedia.png(24, 24);
        for (String avatarPath : List.of(CONTACTS + "/%d/%%61vatar", CONTACTS + "/%d/avatar/")) {
            long id = createContact();
            signed().urlEncodingEnabled(false).contentType("image/png").body(png).put(avatarPath.formatted(id))
                    .then().statusCode(200).body("data.avatar", matchesPattern(AVATAR_URL + "png"));
        }
    }

    @Test
    void avatarOver5MbIs413AndNothingIsStored() {
        long id = createContact();
        Set<String> before = StoredObjects.keys();
        Set<Path> scratch = scratchFiles();
        byte[] tooBig = Arrays.copyOf(TestMedia.jpeg(16, 16), 5 * MB + 1);

        putAvatar(id, "image/jpeg", tooBig).then().statusCode(413)
                .body("status", equalTo(false))
                .body("error", equalTo("payload_too_large"))
                .body("request_id", notNullValue());
        createWithFile("big.jpg", "image/jpeg", tooBig).then().statusCode(413)
                .body("error", equalTo("payload_too_large"));

        assertEquals(before, StoredObjects.keys());
        signed().get(CONTACTS + "/" + id).then().statusCode(200).body("data.avatar", nullValue());
        assertNoScratchFilesLeft(scratch);
    }

    @Test
    void avatarStreamedOverTheLimitWithoutContentLengthIs413() throws Exception {
        long id = createContact();
        Set<String> before = StoredObjects.keys();
        Set<Path> scratch = scratchFiles();
        byte[] tooBig = Arrays.copyOf(TestMedia.jpeg(16, 16), 5 * MB + 1);
        String path = CONTACTS + "/" + id + "/avatar";
        String timestamp = String.valueOf(Instant.now().getEpochSecond());

        // A stream of unknown length goes out chunked: the limit can only be seen while reading.
        HttpRequest request = HttpRequest.newBuilder(baseUrl.toURI().resolve(path))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooBig)))
                .header("Content-Type", "image/jpeg")
                .header("X-Timestamp", timestamp)
                .header("X-Client-ID", Api.CLIENT)
                .header("X-Domain", Api.WORKSPACE)
                .header("X-Awal-Signature-256", "sha256=" + HmacSigner.sign(Api.SECRET, "PUT", path, null, timestamp, tooBig))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("\"error\":\"payload_too_large\""), response.body());
        assertTrue(response.body().contains("The image is larger than 5242880 bytes"), response.body());
        assertEquals(before, StoredObjects.keys());
        assertNoScratchFilesLeft(scratch);
    }

    @Test
    void fileAndAvatarUrlTogetherAreRefused() {
        Bodies.Multipart body = Bodies.multipart()
                .field("name", "Both").field("phone", "+" + TestData.uniquePhone())
                .field("avatar", "https://example.com/me.jpg")
                .file("file", "me.jpg", "image/jpeg", TestMedia.jpeg(20, 20));

        signed().contentType(body.contentType()).body(body.bytes()).post(CONTACTS + "?phone_number_id=1001")
                .then().statusCode(422)
                .body("error", equalTo("validation_failed"))
                .body("details.file", equalTo("send either a file or an avatar URL, not both"))
                .body("details.avatar", equalTo("send either a file or an avatar URL, not both"));
    }

    @Test
    void rawBodyOfAnotherTypeIs415() {
        putAvatar(createContact(), "image/gif", "GIF89a".getBytes(StandardCharsets.US_ASCII)).then().statusCode(415)
                .body("error", equalTo("unsupported_media_type"));
    }

    @Test
    void duplicatePhoneWithAFileLeavesNoObject() {
        String phone = TestData.uniquePhone();
        json("{\"name\":\"First\",\"phone\":\"+" + phone + "\"}").post(CONTACTS + "?phone_number_id=1001")
                .then().statusCode(201);
        Set<String> before = StoredObjects.keys();

        createWithFile(phone, "me.jpg", "image/jpeg", TestMedia.jpeg(20, 20)).then().statusCode(409)
                .body("error", equalTo("duplicate_phone"));

        assertEquals(before, StoredObjects.keys());
    }

    // ---- replace and delete ----------------------------------------------------------------------

    @Test
    void replacedAndDeletedAvatarsLeaveNoObjectBehind() {
        Response created = createWithFile("a.jpg", "image/jpeg", TestMedia.jpeg(20, 20));
        created.then().statusCode(201);
        String first = created.path("data.avatar");
        long id = created.jsonPath().getLong("data.id");
        assertTrue(StoredObjects.exists(StoredObjects.keyOf(first)));

        String second = putAvatar(id, "image/png", TestMedia.png(20, 20)).then().statusCode(200)
                .extract().path("data.avatar");
        assertTrue(StoredObjects.exists(StoredObjects.keyOf(second)));
        assertFalse(StoredObjects.exists(StoredObjects.keyOf(first)), "replaced by PUT");

        Bodies.Multipart patch = Bodies.multipart().file("file", "b.jpg", "image/jpeg", TestMedia.jpeg(24, 24));
        String third = signed().contentType(patch.contentType()).body(patch.bytes()).patch(CONTACTS + "/" + id)
                .then().statusCode(200).extract().path("data.avatar");
        assertNotEquals(second, third);
        assertFalse(StoredObjects.exists(StoredObjects.keyOf(second)), "replaced by PATCH");

        signed().delete(CONTACTS + "/" + id + "/avatar").then().statusCode(200)
                .body("message", equalTo("Avatar deleted successfully"))
                .body("data.avatar", nullValue());
        assertFalse(StoredObjects.exists(StoredObjects.keyOf(third)), "deleted avatar");

        String fourth = putAvatar(id, "image/jpeg", TestMedia.jpeg(20, 20)).then().statusCode(200)
                .extract().path("data.avatar");
        signed().delete(CONTACTS + "/" + id).then().statusCode(200);
        assertFalse(StoredObjects.exists(StoredObjects.keyOf(fourth)), "deleted contact");
    }

    @Test
    void avatarOfAnUnknownContactIs404AndNothingIsStored() {
        Set<String> before = StoredObjects.keys();

        putAvatar(999_999_999L, "image/jpeg", TestMedia.jpeg(20, 20)).then().statusCode(404)
                .body("error", equalTo("resource_not_found"));

        assertEquals(before, StoredObjects.keys());
    }

    // ---- branch files -----------------------------------------------------------------------------

    @Test
    void branchFileIsStoredReplacedAndDeletedWithTheBranch() {
        Bodies.Multipart create = Bodies.multipart().field("name", "Olaya")
                .file("file", "menu.pdf", "application/pdf", PDF);
        Response created = signed().contentType(create.contentType()).body(create.bytes())
                .post(BRANCHES + "?phone_number_id=1001");
        created.then().statusCode(201)
                .body("data.file_url", matchesPattern("http://[^/]+/media/branch-files/[0-9a-f]{32}\\.pdf"));
        String pdfUrl = created.path("data.file_url");
        long id = created.jsonPath().getLong("data.id");
        given().get(pdfUrl).then().statusCode(200).header("Content-Type", "application/pdf");
        assertArrayEquals(PDF, StoredObjects.read(StoredObjects.keyOf(pdfUrl)));

        Bodies.Multipart replace = Bodies.multipart().file("file", "map.png", "image/png", TestMedia.png(20, 20));
        String pngUrl = signed().contentType(replace.contentType()).body(replace.bytes()).patch(BRANCHES + "/" + id)
                .then().statusCode(200)
                .body("data.file_url", matchesPattern("http://[^/]+/media/branch-files/[0-9a-f]{32}\\.png"))
                .extract().path("data.file_url");
        assertFalse(StoredObjects.exists(StoredObjects.keyOf(pdfUrl)));

        signed().get(BRANCHES + "/" + id).then().statusCode(200).body("data.file_url", equalTo(pngUrl));
        signed().delete(BRANCHES + "/" + id).then().statusCode(200);
        assertFalse(StoredObjects.exists(StoredObjects.keyOf(pngUrl)));
    }

    @Test
    void branchFileMustBeJpgPngOrPdf() {
        Bodies.Multipart body = Bodies.multipart().field("name", "Bad file")
                .file("file", "menu.pdf", "application/pdf", "<html></html>".getBytes(StandardCharsets.UTF_8));

        signed().contentType(body.contentType()).body(body.bytes()).post(BRANCHES + "?phone_number_id=1001")
                .then().statusCode(422)
                .body("error", equalTo("validation_failed"))
                .body("details.file", containsString("not a JPEG, PNG or PDF"));
    }

    // ---- the public URL ---------------------------------------------------------------------------

    @Test
    void publicUrlServesTheObjectWithoutAuthAndRevalidatesByEtag() {
        byte[] jpeg = TestMedia.jpeg(50, 50);
        String avatar = createWithFile("me.jpg", "image/jpeg", jpeg).then().statusCode(201)
                .extract().path("data.avatar");

        Response served = given().get(avatar);
        served.then().statusCode(200)
                .header("Content-Type", "image/jpeg")
                .header("Content-Length", String.valueOf(jpeg.length))
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("ETag", matchesPattern("\"[0-9a-f]{32}\""));
        assertArrayEquals(jpeg, served.asByteArray());
        String etag = served.header("ETag");

        given().header("If-None-Match", etag).get(avatar).then().statusCode(304).header("ETag", etag);
        given().header("If-None-Match", "\"00000000000000000000000000000000\"").get(avatar).then().statusCode(200);
        given().head(avatar).then().statusCode(200).header("Content-Length", String.valueOf(jpeg.length));
    }

    @Test
    void unknownOrMalformedObjectKeysAre404InTheEnvelope() {
        given().get("/media/avatars/0123456789abcdef0123456789abcdef.jpg").then().statusCode(404)
                .body("status", equalTo(false))
                .body("error", equalTo("resource_not_found"))
                .body("request_id", notNullValue());
        given().header("If-None-Match", "*").get("/media/avatars/0123456789abcdef0123456789abcdef.jpg")
                .then().statusCode(404);
        given().get("/media/avatars/../../pom.xml").then().statusCode(404).body("error", equalTo("resource_not_found"));
        given().get("/media/avatars/short.jpg").then().statusCode(404).body("error", equalTo("resource_not_found"));
    }

    // ---- the sweeper and readiness ----------------------------------------------------------------

    @Test
    void sweeperRemovesOldOrphansAndKeepsReferencedObjects() throws IOException {
        String referenced = StoredObjects.keyOf(createWithFile("me.jpg", "image/jpeg", TestMedia.jpeg(20, 20))
                .then().statusCode(201).extract().path("data.avatar"));
        String orphan = ObjectKeys.newKey(ObjectKeys.AVATARS, "jpg");
        Path file = Files.createTempFile("orphan-", ".jpg");
        try {
            Files.write(file, TestMedia.jpeg(10, 10));
            OnVertx.await(vertx, () -> storage.put(orphan, file, "image/jpeg"));
        } finally {
            Files.delete(file);
        }
        assertTrue(StoredObjects.exists(orphan));

        OnVertx.await(vertx, () -> sweeper.sweep(Instant.now().minus(Duration.ofHours(1))));
        assertTrue(StoredObjects.exists(orphan), "younger than the grace period: kept");

        int deleted = OnVertx.await(vertx, () -> sweeper.sweep(Instant.now().plusSeconds(5)));
        assertFalse(StoredObjects.exists(orphan), "unreferenced and old: deleted");
        assertTrue(StoredObjects.exists(referenced), "referenced: kept");
        assertTrue(deleted >= 1);
    }

    @Test
    void readinessIncludesTheObjectStore() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("object-storage"))
                .body("checks.find { it.name == 'object-storage' }.status", equalTo("UP"));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** The files in the upload scratch folder, to compare before and after a request. */
    static Set<Path> scratchFiles() {
        Path scratch = Path.of(ConfigProvider.getConfig().getValue("contacts.limits.upload-directory", String.class));
        try (Stream<Path> files = Files.exists(scratch) ? Files.list(scratch) : Stream.empty()) {
            return files.collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Received files are deleted once their request is answered (asynchronously, so this waits a little). */
    static void assertNoScratchFilesLeft(Set<Path> before) {
        Set<Path> left = Set.of();
        for (int attempt = 0; attempt < 100; attempt++) {
            left = new HashSet<>(scratchFiles());
            left.removeAll(before);
            if (left.isEmpty()) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new AssertionError("scratch files left behind: " + left);
    }

    static Response createWithFile(String fileName, String contentType, byte[] content) {
        return createWithFile(TestData.uniquePhone(), fileName, contentType, content);
    }

    static Response createWithFile(String phone, String fileName, String contentType, byte[] content) {
        Bodies.Multipart body = Bodies.multipart()
                .field("name", "Photo").field("phone", "+" + phone)
                .file("file", fileName, contentType, content);
        return signed().contentType(body.contentType()).body(body.bytes()).post(CONTACTS + "?phone_number_id=1001");
    }

    static Response putAvatar(long id, String contentType, byte[] image) {
        return signed().contentType(contentType).body(image).put(CONTACTS + "/" + id + "/avatar");
    }

    static long createContact() {
        return json("{\"name\":\"Plain\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post(CONTACTS + "?phone_number_id=1001")
                .then().statusCode(201).extract().jsonPath().getLong("data.id");
    }
}
