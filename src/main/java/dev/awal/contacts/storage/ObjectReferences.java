package dev.awal.contacts.storage;

import java.util.List;
import java.util.Set;

import io.smallrye.mutiny.Uni;

/** Which stored objects rows still point at; the sweeper keeps those. Answered by whoever owns the rows. */
public interface ObjectReferences {

    /** The keys among {@code keys} that some row references. */
    Uni<Set<String>> referenced(List<String> keys);
}
