package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Arabic terms reach the trigram index without their article and word endings (V18); what matches is
 * still exactly the folded term as a substring: nothing lost to the shortened index pattern, nothing
 * gained from it, and LIKE wildcards in a term stay literal.
 */
@QuarkusTest
class ContactArabicSearchTest {

    private static final String CONTACTS = "/api/developer/contacts";

    @Test
    void shortenedIndexPatternsFindExactlyTheSubstringMatches() {
        String sender = String.valueOf(System.nanoTime());
        long isfahani = create("محمد الأَصْبَهاني", sender);
        long qahtani = create("عبدالله القحطاني", sender);
        long sabah = create("الاصبهان للتجارة", sender);
        long percent = create("ال%اصبهاني", sender);

        assertThat(search("الاصبهاني", sender)).containsExactlyInAnyOrder(isfahani);
        assertThat(search("محمد الإصبهاني", sender)).containsExactlyInAnyOrder(isfahani);
        // The index pattern of this term is "%%اصبها%%", which percent's and sabah's names also contain.
        assertThat(search("الاصبهاني", sender)).doesNotContain(percent, sabah);
        assertThat(search("اصبها", sender)).containsExactlyInAnyOrder(isfahani, sabah, percent);
        assertThat(search("القحطاني", sender)).containsExactlyInAnyOrder(qahtani);
        assertThat(search("ال", sender)).containsExactlyInAnyOrder(isfahani, qahtani, sabah, percent);
        assertThat(search("ال%اصبهاني", sender)).containsExactlyInAnyOrder(percent);
        assertThat(search("الاصبهانيين", sender)).isEmpty();
    }

    private static long create(String name, String sender) {
        return json("{\"name\":\"" + name + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post(CONTACTS + "?phone_number_id=" + sender).then().statusCode(201).extract().jsonPath().getLong("data.id");
    }

    private static List<Long> search(String term, String sender) {
        return signed().queryParam("per_page", 100).queryParam("phone_number_id", sender).queryParam("search", term)
                .get(CONTACTS).then().statusCode(200)
                .extract().jsonPath().getList("data.id", Long.class);
    }
}
