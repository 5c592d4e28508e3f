package dev.awal.contacts.persistence;

import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.TestData;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Deep pages served after a page anchor (V23, {@link PageAnchors}) are the pages the index walk gives:
 * for every sort and every listing that uses anchors, page by page and repeated, against the cursor
 * walk of the same listing; after every kind of write the anchor is outdated and the page read again;
 * another workspace's writes leave it valid, and never serve it; under racing writes no page mixes
 * versions, and once the writers stop every page is what the database says.
 */
@QuarkusTest
class PageAnchorsTest {

    private static final String CONTACTS = "/api/developer/contacts";
    private static final String GROUPS = "/api/developer/contact-groups";
    private static final String BRANCHES = "/api/developer/branches";
    private static final List<String> SORTS = List.of("-created_at", "created_at", "name", "-name", "updated_at", "-updated_at");

    @Inject
    MeterRegistry registry;

    @Test
    void deepPagesEqualTheCursorWalkForEverySortAndListing() {
        String tag = "Deep" + TestData.uniquePhone();
        long group = create(GROUPS, "{\"name\":\"" + tag + "\"}");
        long branch = create(BRANCHES + "?phone_number_id=1", "{\"name\":\"" + tag + "\"}");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // Five names for 23 contacts, and many in the same second: ties on every sort key.
            ids.add(createContact(tag + " " + (char) ('a' + i % 5), i % 2 == 0 ? group : null, i % 4 == 1 ? branch : null,
                    i % 3 == 0));
        }
        // A few updated later, in another order than created.
        for (int i = 22; i >= 0; i -= 4) {
            json("{\"description\":\"touched\"}").patch(CONTACTS + "/" + ids.get(i)).then().statusCode(200);
        }
        List<String> listings = List.of("contact_group_id=" + group, "branch_id=" + branch, "search=" + tag,
                "contact_group_id=" + group + "&is_favorite=true", "is_favorite=true&search=" + tag);
        for (String listing : listings) {
            for (String sort : SORTS) {
                String query = listing + "&sort=" + sort + "&per_page=3";
                List<Long> walked = walk(query);
                assertThat(walked).as(query).isNotEmpty();
                int lastPage = (walked.size() + 2) / 3;
                double[] before = outcomes();
                int deepRequests = 0;
                for (int p = 2; p <= lastPage; p++) {
                    // Each page twice: the first after the anchor the previous page left, the second after its own.
                    for (int repeat = 0; repeat < 2; repeat++) {
                        JsonPath page = page(query + "&page=" + p);
                        assertThat(page.getList("data.id", Long.class)).as(query + " page " + p)
                                .isEqualTo(walked.subList(Math.min((p - 1) * 3, walked.size()), Math.min(p * 3, walked.size())));
                        assertThat(page.getLong("meta.total")).as(query).isEqualTo(walked.size());
                        assertThat(page.getBoolean("meta.total_exact")).as(query).isTrue();
                        deepRequests++;
                    }
                }
                double[] after = outcomes();
                // Only the first request of page 2 finds no anchor; every other page follows one.
                assertThat(after[2] - before[2]).as(query + ": walks without an anchor").isEqualTo(1);
                assertThat(after[1] - before[1]).as(query + ": outdated anchors").isZero();
                assertThat(after[0] - before[0]).as(query + ": pages served after an anchor").isEqualTo(deepRequests - 1);
                JsonPath beyond = page(query + "&page=" + (lastPage + 1));
                assertThat(beyond.getList("data")).as(query + " past the end").isEmpty();
                assertThat(beyond.getLong("meta.total")).as(query + " past the end").isEqualTo(walked.size());
            }
        }
    }

    @Test
    void everyKindOfWriteOutdatesTheAnchor() {
        String tag = "Write" + TestData.uniquePhone();
        long group = create(GROUPS, "{\"name\":\"" + tag + "\"}");
        long other = create(GROUPS, "{\"name\":\"" + tag + " other\"}");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(createContact(tag + " " + (char) ('b' + i), group, null, i % 2 == 0));
        }
        String byName = "contact_group_id=" + group + "&sort=name&per_page=3&page=3";
        String favorites = "contact_group_id=" + group + "&is_favorite=true&sort=name&per_page=2&page=2";
        String condition = "contact_group_id = " + group;

        // Insert: a name sorting first moves every page by one.
        assertOutdatedBy(byName, condition, () -> createContact(tag + " a", group, null, false));
        // Delete: a row before the page.
        assertOutdatedBy(byName, condition, () -> signed().delete(CONTACTS + "/" + ids.get(0)).then().statusCode(200));
        // Update of the sort key: the first name goes last.
        assertOutdatedBy(byName, condition, () -> json("{\"name\":\"" + tag + " z\"}").patch(CONTACTS + "/" + ids.get(1))
                .then().statusCode(200));
        // Favorite toggle: a favorite before the page stops being one.
        assertOutdatedBy(favorites, condition + " and is_favorite", () -> json("{\"is_favorite\":false}")
                .patch(CONTACTS + "/" + ids.get(2)).then().statusCode(200));
        // Group change: a row before the page leaves the group.
        assertOutdatedBy(byName, condition, () -> json("{\"contact_group_id\":" + other + "}").patch(CONTACTS + "/" + ids.get(3))
                .then().statusCode(200));
        // Group delete: its contacts are unlinked in one statement.
        String inOther = "search=" + tag + "&sort=-updated_at&per_page=2&page=3";
        assertOutdatedBy(inOther, "search_text like '%" + tag.toLowerCase() + "%'", () -> signed().delete(GROUPS + "/" + other)
                .then().statusCode(200));
    }

    @Test
    void writesOfAnotherWorkspaceKeepTheAnchorAndAnchorsStayInTheirWorkspace() {
        String tag = "Tenant" + TestData.uniquePhone();
        for (int i = 0; i < 8; i++) {
            createContact(tag + " " + (char) ('a' + i), null, null, false);
            inWorkspace("beta").contentType("application/json").body("{\"name\":\"" + tag + " " + (char) ('a' + 7 - i)
                    + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post(CONTACTS + "?phone_number_id=1")
                    .then().statusCode(201);
        }
        String query = "search=" + tag + "&sort=name&per_page=3&page=2";
        List<Long> alphaPage = page(query).getList("data.id", Long.class);
        double[] before = outcomes();
        // Same query in beta: its own rows, walked, never alpha's anchor.
        List<Long> betaPage = inWorkspace("beta").get(CONTACTS + "?" + query).then().statusCode(200).extract().jsonPath()
                .getList("data.id", Long.class);
        assertThat(betaPage).isEqualTo(expected("beta", "search_text like '%" + tag.toLowerCase() + "%'", "name", 3, 3));
        assertThat(betaPage).doesNotContainAnyElementsOf(alphaPage);
        double[] afterBeta = outcomes();
        assertThat(afterBeta[2] - before[2]).as("beta's page walked").isEqualTo(1);
        assertThat(afterBeta[0] - before[0]).as("beta's page served after an anchor").isZero();

        // A write in beta leaves alpha's anchor valid.
        inWorkspace("beta").contentType("application/json").body("{\"name\":\"" + tag + " 0\",\"phone\":\"+"
                + TestData.uniquePhone() + "\"}").post(CONTACTS + "?phone_number_id=1").then().statusCode(201);
        assertThat(page(query).getList("data.id", Long.class)).isEqualTo(alphaPage);
        assertThat(outcomes()[0] - afterBeta[0]).as("alpha's page served after its anchor").isEqualTo(1);
    }

    @Test
    void pagesReadWhileWritersRunNeverMixVersions() throws Exception {
        String tag = "Race" + TestData.uniquePhone();
        long group = create(GROUPS, "{\"name\":\"" + tag + "\"}");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(createContact(tag + " " + (char) ('a' + i % 26), group, null, false));
        }
        String listing = "contact_group_id=" + group + "&sort=name&per_page=4";
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        createContact(tag + " " + (char) ('a' + (i * 7 + writer) % 26), group, null, false);
                        signed().delete(CONTACTS + "/" + ids.get(writer * 15 + i)).then().statusCode(200);
                    }
                    return null;
                }));
            }
            List<Future<List<String>>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    List<String> problems = new ArrayList<>();
                    while (writing.get()) {
                        for (int p = 2; p <= 6; p++) {
                            JsonPath page = page(listing + "&page=" + p);
                            List<Long> pageIds = page.getList("data.id", Long.class);
                            List<String> names = page.getList("data.name", String.class);
                            if (pageIds.size() != 4 || new HashSet<>(pageIds).size() != 4) {
                                problems.add("page " + p + ": " + pageIds);
                            }
                            for (int k = 1; k < names.size(); k++) {
                                // "<tag> <letter>": the database's collation orders these as Java does.
                                int order = names.get(k - 1).compareTo(names.get(k));
                                if (order > 0 || order == 0 && pageIds.get(k - 1) > pageIds.get(k)) {
                                    problems.add("page " + p + " out of order: " + names + " " + pageIds);
                                }
                            }
                        }
                    }
                    return problems;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<List<String>> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        // Quiet now: every page, read once (anchors of the race outdated) and again (after the new ones),
        // is the offset query's page in the database.
        for (int p = 2; p <= 8; p++) {
            List<Long> expected = expected("alpha", "contact_group_id = " + group, "name", 4, (p - 1) * 4);
            assertThat(page(listing + "&page=" + p).getList("data.id", Long.class)).as("page " + p).isEqualTo(expected);
            assertThat(page(listing + "&page=" + p).getList("data.id", Long.class)).as("page " + p + " again").isEqualTo(expected);
        }
    }

    @Test
    void truncateMovesTheVersionOnInsteadOfResettingIt() throws SQLException {
        createContact("Truncated " + TestData.uniquePhone(), null, null, false);
        var config = ConfigProvider.getConfig();
        try (Connection connection = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("set local lock_timeout = '10s'");
            long before = version(statement);
            statement.execute("truncate contacts cascade");
            assertThat(version(statement)).isGreaterThan(before);
            try (ResultSet others = statement.executeQuery("select count(*) from contact_counts where scope <> 'v'")) {
                others.next();
                assertThat(others.getLong(1)).as("counters cleared").isZero();
            }
            connection.rollback();
        }
    }

    private static long version(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery(
                "select coalesce(sum(n), 0) from contact_counts where workspace = 'alpha' and scope = 'v'")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Takes the page's anchors, checks the page is served after them, writes, and checks the page is read again. */
    private void assertOutdatedBy(String query, String condition, Runnable write) {
        page(query);
        double[] anchored = outcomes();
        page(query);
        assertThat(outcomes()[0] - anchored[0]).as(query + " served after its anchor").isEqualTo(1);
        write.run();
        double[] written = outcomes();
        JsonPath page = page(query);
        assertThat(outcomes()[1] - written[1]).as(query + ": the anchor outdated by the write").isEqualTo(1);
        String sort = query.replaceAll(".*sort=([^&]*).*", "$1");
        int perPage = Integer.parseInt(query.replaceAll(".*per_page=(\\d+).*", "$1"));
        int pageNumber = Integer.parseInt(query.replaceAll(".*&page=(\\d+).*", "$1"));
        assertThat(page.getList("data.id", Long.class)).as(query).isEqualTo(expected("alpha", condition,
                sort.startsWith("-") ? sort.substring(1) + " desc" : sort, perPage, (pageNumber - 1) * perPage));
    }

    /** The page as the database orders it now: the offset query, ties by id in the sort's direction. */
    private static List<Long> expected(String workspace, String condition, String sort, int perPage, int offset) {
        String direction = sort.endsWith(" desc") ? " desc" : "";
        return DatabaseSessions.query("select id from contacts where workspace = ? and " + condition + " order by " + sort
                + ", id" + direction + " offset " + offset + " limit " + perPage, workspace).stream().map(Long::valueOf).toList();
    }

    /** Seeks, outdated anchors and walks so far. */
    private double[] outcomes() {
        return new double[] { count("seek"), count("stale"), count("walk") };
    }

    private double count(String outcome) {
        // Registered when the first deep page of this run is asked for.
        var counter = registry.find("contacts.deep.pages").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Every id of a listing, by following its cursors from the first page. */
    private static List<Long> walk(String query) {
        List<Long> walked = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = page(query + (cursor == null ? "" : "&cursor=" + cursor));
            walked.addAll(page.getList("data.id", Long.class));
            cursor = page.getString("meta.next_cursor");
        } while (cursor != null);
        return walked;
    }

    private static JsonPath page(String query) {
        return signed().get(CONTACTS + "?" + query).then().statusCode(200).extract().jsonPath();
    }

    private static long create(String path, String body) {
        return json(body).post(path).then().statusCode(201).extract().jsonPath().getLong("data.id");
    }

    private static long createContact(String name, Long group, Long branch, boolean favorite) {
        return create(CONTACTS + "?phone_number_id=1", "{\"name\":\"" + name + "\",\"phone\":\"+" + TestData.uniquePhone()
                + "\",\"contact_group_id\":" + group + ",\"branch_id\":" + branch + ",\"is_favorite\":" + favorite + "}");
    }
}
