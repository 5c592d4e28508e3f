package dev.awal.contacts.media;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

/** With the default configuration, avatar URLs that lead to private addresses are never fetched. */
@QuarkusTest
class AvatarUrlRefusedTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void startImageServer() throws Exception {
        vertx = Vertx.vertx();
        byte[] jpeg = TestMedia.jpeg(20, 20);
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    request.response().putHeader("Content-Type", "image/jpeg").end(Buffer.buffer(jpeg));
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopImageServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void resetCount() {
        requests.set(0);
    }

    @Test
    void loopbackAddressIsRefused() {
        String phone = TestData.uniquePhone();

        create(phone, "http://127.0.0.1:" + server.actualPort() + "/photo.jpg").then().statusCode(422)
                .body("error", equalTo("validation_failed"))
                .body("details.avatar", equalTo(
                        "could not fetch the image: host resolves to a private or reserved address (127.0.0.1)"));

        assertEquals(0, requests.get(), "the private host was contacted");
        signed().get("/api/developer/contacts?search=" + phone).then().body("meta.total", equalTo(0));
    }

    @Test
    void hostNameThatResolvesToAPrivateAddressIsRefused() {
        create(TestData.uniquePhone(), "http://localhost:" + server.actualPort() + "/photo.jpg").then().statusCode(422)
                .body("details.avatar", containsString("host resolves to a private or reserved address"));

        assertEquals(0, requests.get());
    }

    @Test
    void onlyHttpAndHttpsAreFetched() {
        create(TestData.uniquePhone(), "file:///etc/passwd").then().statusCode(422)
                .body("details.avatar", equalTo("could not fetch the image: only http and https URLs are allowed"));
    }

    private static io.restassured.response.Response create(String phone, String avatarUrl) {
        return json("{\"name\":\"By URL\",\"phone\":\"+" + phone + "\",\"avatar\":\"" + avatarUrl + "\"}")
                .post("/api/developer/contacts?phone_number_id=1001");
    }
}
