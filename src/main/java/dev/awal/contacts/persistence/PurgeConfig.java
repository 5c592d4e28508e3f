package dev.awal.contacts.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** contacts.purge.*: how the retention purges delete. */
@ConfigMapping(prefix = "contacts.purge")
public interface PurgeConfig {

    /** Rows one purge statement deletes at most (at least 1); each chunk is its own short transaction. */
    @WithDefault("5000")
    int chunkSize();
}
