package dev.awal.contacts.persistence;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where page-mode pages of a listing start, remembered per replica so that a deep page can seek to
 * its start instead of walking the index past every row before it ({@link ContactPageQuery}).
 *
 * <p>An anchor is the sort key and id of the row just before a page, taken at a listing version of
 * the workspace (V23). It is only a hint: the page query that uses it reads the version again in its
 * own snapshot and serves its rows only when nothing was written since; otherwise the page is read
 * the slow way and the anchors renewed. A bounded LRU cache, so losing an entry (eviction, restart,
 * another replica) costs one slow page and nothing else.
 */
@ApplicationScoped
public class PageAnchors {

    /** One listing (its where-clause with the values of its parameters, and its order) at one offset. */
    record Key(String workspace, String where, Map<String, Object> params, String orderBy, int offset) {
    }

    /** The row before the page at {@code offset}: its sort value and id, at a listing version. */
    record Anchor(long version, Object sortValue, long id) {
    }

    private final Cache<Key, Anchor> anchors;
    /** Deep pages by outcome: served after an anchor, anchor outdated by a write, no anchor (walked). */
    private final Counter seeks;
    private final Counter stale;
    private final Counter walks;

    PageAnchors(Config config, MeterRegistry registry) {
        // Evictions run on the caller's thread (an event loop here): a few pointer moves, no pool hop.
        this.anchors = Caffeine.newBuilder().maximumSize(config.maxEntries()).executor(Runnable::run).build();
        String name = "contacts.deep.pages";
        String description = "Page-mode pages past the first: seek (after a remembered anchor), stale (the workspace"
                + " was written since the anchor, so walked), walk (no anchor)";
        this.seeks = Counter.builder(name).description(description).tag("outcome", "seek").register(registry);
        this.stale = Counter.builder(name).description(description).tag("outcome", "stale").register(registry);
        this.walks = Counter.builder(name).description(description).tag("outcome", "walk").register(registry);
    }

    Anchor get(Key key) {
        return anchors.getIfPresent(key);
    }

    void put(Key key, Anchor anchor) {
        anchors.put(key, anchor);
    }

    /** A deep page served after its anchor. */
    void sought() {
        seeks.increment();
    }

    /** A deep page whose anchor a write outdated: walked instead. */
    void outdated() {
        stale.increment();
    }

    /** A deep page without an anchor: walked. */
    void walked() {
        walks.increment();
    }

    @ConfigMapping(prefix = "contacts.page-anchors")
    public interface Config {

        /**
         * Anchors kept per replica, least recently used dropped first; about 1 KB each. A client paging
         * through a listing page by page needs one per page; 0 turns deep-page seeking off.
         */
        @WithDefault("10000")
        long maxEntries();
    }
}
