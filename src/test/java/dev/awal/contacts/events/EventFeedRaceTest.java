package dev.awal.contacts.events;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.imageio.ImageIO;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** The feed read while others write: no event skipped, none listed twice, late commits included. */
@QuarkusTest
class EventFeedRaceTest {

    private static final String CONTACTS = "/api/developer/contacts";

    @Test
    void aFeedReadWhileWritersCommitListsEveryEventOnce() throws Exception {
        String start = Feed.end("alpha");
        int writers = 8;
        int perWriter = 12;
        ConcurrentLinkedQueue<Long> created = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Map<String, Object>> seen = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            Future<String> reader = pool.submit(() -> {
                String cursor = start;
                while (writing.get()) {
                    Feed.Read read = Feed.drain("alpha", cursor, null);
                    seen.addAll(read.events());
                    cursor = read.cursor();
                }
                return cursor;
            });
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        long id = json("{\"name\":\"Racer\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                                .post(CONTACTS + "?phone_number_id=1").then().statusCode(201).extract().<Number>path("data.id").longValue();
                        created.add(id);
                        json("{\"name\":\"Racer " + i + "\"}").patch(CONTACTS + "/" + id).then().statusCode(200);
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            String cursor = reader.get(60, TimeUnit.SECONDS);
            Set<Long> mine = new HashSet<>(created);
            Feed.Read rest = Feed.until("alpha", cursor, null, r -> count(seen, r, mine) == 2 * mine.size());
            seen.addAll(rest.events());
        } finally {
            pool.shutdownNow();
        }
        Set<Long> mine = new HashSet<>(created);
        assertThat(mine).hasSize(writers * perWriter);
        List<Object> ids = seen.stream().map(e -> e.get("id")).toList();
        assertThat(new HashSet<>(ids)).as("no event listed twice").hasSameSizeAs(ids);
        for (long id : mine) {
            List<Map<String, Object>> events = seen.stream().filter(e -> Feed.aboutContact(e, id)).toList();
            assertThat(events).extracting(e -> e.get("type")).as("contact %d", id)
                    .containsExactly("contact.created", "contact.updated");
            assertThat(events).extracting(e -> Feed.contact(e).get("version")).containsExactly(0, 1);
        }
    }

    private static long count(List<Map<String, Object>> seen, Feed.Read rest, Set<Long> mine) {
        List<Map<String, Object>> all = new ArrayList<>(seen);
        all.addAll(rest.events());
        return all.stream().filter(e -> e.get("data") instanceof Map<?, ?> d && d.get("contact") instanceof Map<?, ?> c
                && c.get("id") instanceof Number n && mine.contains(n.longValue())).count();
    }

    /**
     * An event that commits after a later-numbered one is still listed: while its transaction runs, the
     * feed stops before events of younger transactions; once it commits, both follow, each once.
     */
    @Test
    void anEventCommittedLateIsNotSkipped() throws SQLException {
        String start = Feed.end("alpha");
        try (Connection open = connect()) {
            open.setAutoCommit(false);
            long early;
            try (Statement statement = open.createStatement()) {
                var result = statement.executeQuery("insert into events (workspace, type, data) values ('alpha',"
                        + " 'contact.deleted', '{\"id\": -1, \"phone\": \"0\", \"version\": 0}') returning id");
                result.next();
                early = result.getLong(1);
            }
            long id = json("{\"name\":\"Later\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post(CONTACTS + "?phone_number_id=1")
                    .then().statusCode(201).extract().<Number>path("data.id").longValue();
            Feed.Read during = Feed.drain("alpha", start, null);
            assertThat(during.matching(e -> Feed.aboutContact(e, id))).as("held back behind the running transaction").isEmpty();
            open.commit();

            Feed.Read after = Feed.until("alpha", during.cursor(), null, r -> r.matching(e -> Feed.aboutContact(e, id)).size() == 1);
            List<Object> ids = after.events().stream().map(e -> e.get("id")).toList();
            assertThat(ids).contains((int) early);
            assertThat(after.matching(e -> Feed.aboutContact(e, id))).hasSize(1);
            assertThat(ids.indexOf((int) early)).isLessThan(ids.indexOf(after.matching(e -> Feed.aboutContact(e, id)).get(0).get("id")));
            assertThat(Collections.frequency(ids, (int) early)).isEqualTo(1);
        }
    }

    @Test
    void avatarChangesWriteAvatarEvents() throws IOException {
        String start = Feed.end("alpha");
        long id = json("{\"name\":\"Pictured\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post(CONTACTS + "?phone_number_id=1")
                .then().statusCode(201).extract().<Number>path("data.id").longValue();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png);
        signed().contentType("image/png").body(png.toByteArray()).put(CONTACTS + "/" + id + "/avatar").then().statusCode(200);
        signed().delete(CONTACTS + "/" + id + "/avatar").then().statusCode(200);
        Feed.Read read = Feed.until("alpha", start, null, r -> r.matching(e -> Feed.aboutContact(e, id)).size() == 3);
        List<Map<String, Object>> events = read.matching(e -> Feed.aboutContact(e, id));
        assertThat(events).extracting(e -> e.get("type")).containsExactly("contact.created", "contact.avatar.updated",
                "contact.avatar.updated");
        assertThat(events).extracting(e -> Feed.contact(e).get("has_avatar")).containsExactly(false, true, false);
        assertThat(events).extracting(e -> Feed.contact(e).get("version")).containsExactly(0, 1, 2);
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }
}
