package dev.awal.contacts.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How far page-mode listings count (see {@link PageMeta#totalExact()}). */
@ConfigMapping(prefix = "contacts.paging")
public interface PagingConfig {

    /**
     * Counting stops this many rows past the start of the requested page. An exact count of a
     * million contacts costs a scan of a million index entries on every page view; beyond this limit
     * {@code total} is a lower bound and {@code total_exact} is false.
     */
    @WithDefault("1000")
    int countLimit();
}
