package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** Search, filters and sort. Each test scopes its rows by a fresh phone_number_id. */
@QuarkusTest
class ContactSearchTest {

    private static final AtomicLong SENDER = new AtomicLong(System.currentTimeMillis());

    private static String sender() {
        return String.valueOf(SENDER.incrementAndGet());
    }

    private static void create(String sender, String fields) {
        json("{\"phone\":\"+" + TestData.uniquePhone() + "\"," + fields + "}")
                .post("/api/developer/contacts?phone_number_id=" + sender).then().statusCode(201);
    }

    private static List<String> names(String sender, String query) {
        return signed().get("/api/developer/contacts?per_page=100&phone_number_id=" + sender + "&" + query)
                .then().statusCode(200).extract().path("data.name");
    }

    @Test
    void arabicLetterVariantsDiacriticsAndTatweelFoldTogether() {
        String s = sender();
        create(s, "\"name\":\"أحمد\"");
        create(s, "\"name\":\"إبراهيم\"");
        create(s, "\"name\":\"آمنة\"");
        create(s, "\"name\":\"مُحَمَّد\"");
        create(s, "\"name\":\"مصطفى\"");
        create(s, "\"name\":\"عبـــدالله\"");
        create(s, "\"name\":\"Zed\",\"full_name\":\"فاطمة الزهراء\"");

        org.hamcrest.MatcherAssert.assertThat(names(s, "search=احمد"), contains("أحمد"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=ابراهيم"), contains("إبراهيم"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=امنه"), contains("آمنة"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=محمد"), contains("مُحَمَّد"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=مصطفي"), contains("مصطفى"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=عبدالله"), contains("عبـــدالله"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=فاطمه"), contains("Zed"));
        // The folding applies to the term too, and searchTerm is an alias.
        org.hamcrest.MatcherAssert.assertThat(names(s, "searchTerm=أَحمد"), contains("أحمد"));
    }

    @Test
    void latinSearchIsCaseInsensitiveSubstringOverNameFullNameAndEmail() {
        String s = sender();
        create(s, "\"name\":\"Johnathan\"");
        create(s, "\"name\":\"Maria\",\"full_name\":\"Maria JOHNSON\"");
        create(s, "\"name\":\"Kim\",\"email\":\"kim.john@example.com\"");
        create(s, "\"name\":\"Bob\"");
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=john"), containsInAnyOrder("Johnathan", "Maria", "Kim"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=50%25"), org.hamcrest.Matchers.empty());
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=_"), org.hamcrest.Matchers.empty());
    }

    @Test
    void phoneDigitsMatchAnywhereInTheNumber() {
        String s = sender();
        String phone = TestData.uniquePhone();
        json("{\"name\":\"Dialer\",\"phone\":\"+" + phone + "\"}")
                .post("/api/developer/contacts?phone_number_id=" + s).then().statusCode(201);
        create(s, "\"name\":\"Other\"");
        String middle = phone.substring(7);
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=" + middle), contains("Dialer"));
        String formatted = phone.substring(7, 9) + "-" + phone.substring(9);
        org.hamcrest.MatcherAssert.assertThat(names(s, "search=" + formatted), contains("Dialer"));
    }

    @Test
    void filtersCombine() {
        String s = sender();
        int group = json("{\"name\":\"Filter " + s + "\"}").post("/api/developer/contact-groups").then().statusCode(201)
                .extract().path("data.id");
        int branch = json("{\"name\":\"Filter branch\"}").post("/api/developer/branches?phone_number_id=1").then()
                .statusCode(201).extract().path("data.id");
        create(s, "\"name\":\"G\",\"contact_group_id\":" + group);
        create(s, "\"name\":\"GF\",\"contact_group_id\":" + group + ",\"is_favorite\":true");
        create(s, "\"name\":\"B\",\"branch_id\":" + branch);
        create(s, "\"name\":\"F\",\"is_favorite\":true");
        org.hamcrest.MatcherAssert.assertThat(names(s, "contact_group_id=" + group), containsInAnyOrder("G", "GF"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "contact_group_id=" + group + "&is_favorite=true"), contains("GF"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "is_favorite=1"), containsInAnyOrder("GF", "F"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "is_favorite=false"), containsInAnyOrder("G", "B"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "branch_id=" + branch), contains("B"));
    }

    @Test
    void sortOrders() {
        String s = sender();
        create(s, "\"name\":\"Charlie\"");
        create(s, "\"name\":\"alpha\"");
        create(s, "\"name\":\"Bravo\"");
        org.hamcrest.MatcherAssert.assertThat(names(s, "sort=-created_at"), contains("Bravo", "alpha", "Charlie"));
        org.hamcrest.MatcherAssert.assertThat(names(s, "sort=created_at"), contains("Charlie", "alpha", "Bravo"));
        List<String> byName = names(s, "sort=name");
        org.hamcrest.MatcherAssert.assertThat(names(s, "sort=-name"), contains(byName.get(2), byName.get(1), byName.get(0)));
    }

    @Test
    void badQueryValuesAreBadRequests() {
        for (String query : new String[] { "sort=phone", "is_favorite=maybe", "contact_group_id=x", "branch_id=-1",
                "phone_number_id=12a", "per_page=0", "per_page=101", "per_page=1000", "page=0", "page=abc",
                "search=" + "x".repeat(256) }) {
            signed().get("/api/developer/contacts?" + query).then().statusCode(400)
                    .body("status", equalTo(false)).body("error", equalTo("bad_request"));
        }
    }
}
