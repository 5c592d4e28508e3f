package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.OTHER_WORKSPACE;
import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Get-by-id reads its row straight from the database ({@link ContactReads}), while the writes answer
 * from the entity they saved: both must show a contact byte for byte alike, with the same ETag.
 */
@QuarkusTest
class ContactReadTest {

    private static final String CONTACTS = "/api/developer/contacts";

    @Test
    void getByIdAnswersTheSameBytesAsTheWritesDo() throws IOException {
        String run = Long.toString(System.nanoTime(), 36);
        String city = "city_" + run;
        String orders = "orders_" + run;
        String vip = "vip_" + run;
        String since = "since_" + run;
        define("{\"key\":\"" + city + "\",\"label\":\"City\",\"type\":\"text\"}");
        define("{\"key\":\"" + orders + "\",\"label\":\"Orders\",\"type\":\"number\"}");
        define("{\"key\":\"" + vip + "\",\"label\":\"VIP\",\"type\":\"boolean\"}");
        define("{\"key\":\"" + since + "\",\"label\":\"Since\",\"type\":\"date\"}");
        int group = json("{\"name\":\"Readers " + run + "\"}").post("/api/developer/contact-groups").then().statusCode(201)
                .extract().path("data.id");
        int branch = json("{\"name\":\"Olaya " + run + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/branches?phone_number_id=55").then().statusCode(201).extract().path("data.id");
        int id = json("{\"name\":\"قارئ \\\"Reader\\\"\",\"full_name\":\"Reader Al-Harbi\",\"phone\":\"+" + TestData.uniquePhone()
                + "\",\"email\":\"reader@example.com\",\"description\":\"Line one\\nline two\",\"address\":\"جدة\","
                + "\"is_favorite\":true,\"contact_group_id\":" + group + ",\"branch_id\":" + branch
                + ",\"custom_attributes\":{\"" + city + "\":\"الرياض\",\"" + orders + "\":12.50,\"" + vip + "\":true,\""
                + since + "\":\"2024-02-29\"}}")
                .post(CONTACTS + "?phone_number_id=109876543210").then().statusCode(201).extract().path("data.id");
        String path = CONTACTS + "/" + id;

        Response written = signed().contentType("image/jpeg").body(jpeg()).put(path + "/avatar");
        written.then().statusCode(200);
        Response read = signed().get(path);
        read.then().statusCode(200).body("message", equalTo("Contact retrieved successfully"))
                .body("data.custom_attributes." + orders, equalTo(12.5f));

        assertThat(read.header("ETag")).isEqualTo(written.header("ETag"));
        assertThat(data(read.asString())).isEqualTo(data(written.asString()));
        assertThat(read.asString()).startsWith("{\"status\":true,\"message\":\"Contact retrieved successfully\",\"data\":{\"id\":" + id + ",");

        signed().header("If-None-Match", read.header("ETag")).get(path).then().statusCode(304)
                .header("ETag", read.header("ETag")).body(emptyString());
        inWorkspace(OTHER_WORKSPACE).get(path).then().statusCode(404).body("error", equalTo("resource_not_found"));
        signed().get(CONTACTS + "/999999999999999999").then().statusCode(404).body("error", equalTo("resource_not_found"));
    }

    private static void define(String body) {
        json(body).post("/api/developer/contact-attributes").then().statusCode(201);
    }

    /** The contact inside an envelope, as sent. */
    private static String data(String body) {
        return body.substring(body.indexOf(",\"data\":"));
    }

    private static byte[] jpeg() throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
