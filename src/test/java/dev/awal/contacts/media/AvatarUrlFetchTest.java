package dev.awal.contacts.media;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.awal.contacts.support.OutboundAddressPolicies;
import dev.awal.contacts.support.StoredObjects;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Avatars by URL against a local HTTP server, with private addresses allowed as a private deployment
 * would configure it: what is fetched is checked and stripped like an upload, and every failure is a
 * 422 that says why.
 */
@QuarkusTest
@TestProfile(OutboundAddressPolicies.class)
class AvatarUrlFetchTest {

    private static final byte[] CLEAN = TestMedia.jpeg(40, 30);
    private static final byte[] TAGGED = TestMedia.insert(CLEAN, TestMedia.jpegApp0End(CLEAN),
            TestMedia.exifApp1("SN-CAM-4711-0815"));

    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void startImageServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    HttpServerResponse response = request.response();
                    switch (request.path()) {
                        case "/photo.jpg" -> response.putHeader("Content-Type", "image/jpeg").end(Buffer.buffer(TAGGED));
                        case "/moved" -> response.setStatusCode(302).putHeader("Location", "/photo.jpg").end();
                        case "/to-unspecified" -> response.setStatusCode(302)
                                .putHeader("Location", "http://0.0.0.0:" + server.actualPort() + "/photo.jpg").end();
                        case "/page.html" -> response.putHeader("Content-Type", "text/html").end("<html><body>hi</body></html>");
                        case "/huge" -> response.putHeader("Content-Type", "image/jpeg").end(Buffer.buffer(new byte[6 * 1024 * 1024]));
                        case "/slow" -> response.setChunked(true).putHeader("Content-Type", "image/jpeg").write("\u00ff");
                        default -> response.setStatusCode(404).end("not here");
                    }
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopImageServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void storesAStrippedCopyServedFromTheService() {
        String avatar = create(TestData.uniquePhone(), url("/photo.jpg")).then().statusCode(201)
                .body("data.avatar", matchesPattern("http://localhost:\\d+/media/avatars/[0-9a-f]{32}\\.jpg"))
                .extract().path("data.avatar");

        assertArrayEquals(CLEAN, StoredObjects.read(StoredObjects.keyOf(avatar)));
    }

    @Test
    void updateFollowsARedirectAndReplacesTheAvatar() {
        Response created = create(TestData.uniquePhone(), url("/photo.jpg"));
        String first = created.path("data.avatar");
        long id = created.jsonPath().getLong("data.id");

        String second = json("{\"avatar\":\"" + url("/moved") + "\"}").patch("/api/developer/contacts/" + id)
                .then().log().ifValidationFails().statusCode(200).extract().path("data.avatar");

        assertFalse(StoredObjects.exists(StoredObjects.keyOf(first)));
        assertArrayEquals(CLEAN, StoredObjects.read(StoredObjects.keyOf(second)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/missing        | could not fetch the image: remote server answered HTTP 404",
            "/page.html      | file is not a JPEG, PNG or PDF (unrecognised signature)",
            "/huge           | could not fetch the image: image is larger than 5 MB",
            "/slow           | could not fetch the image: timed out after 5 s",
            "/to-unspecified | could not fetch the image: redirect target refused: host resolves to a private or reserved address (0.0.0.0)" })
    void failuresAre422WithTheReasonAndLeaveNothing(String path, String reason) {
        String phone = TestData.uniquePhone();
        Set<String> before = StoredObjects.keys();
        Set<Path> scratch = UploadContract.scratchFiles();

        create(phone, url(path)).then().statusCode(422)
                .body("error", equalTo("validation_failed"))
                .body("details.avatar", equalTo(reason));

        assertEquals(before, StoredObjects.keys());
        signed().get("/api/developer/contacts?search=" + phone).then().body("meta.total", equalTo(0));
        UploadContract.assertNoScratchFilesLeft(scratch);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    private static Response create(String phone, String avatarUrl) {
        return json("{\"name\":\"By URL\",\"phone\":\"+" + phone + "\",\"avatar\":\"" + avatarUrl + "\"}")
                .post("/api/developer/contacts?phone_number_id=1001");
    }
}
