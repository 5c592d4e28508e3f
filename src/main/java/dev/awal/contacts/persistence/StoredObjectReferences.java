package dev.awal.contacts.persistence;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.storage.ObjectReferences;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The objects that contacts (avatars) and branches (files) point at, for the storage sweeper. */
@ApplicationScoped
public class StoredObjectReferences implements ObjectReferences {

    private static final String REFERENCED = "select c.avatarKey from Contact c where c.avatarKey in :keys"
            + " union all select b.fileKey from Branch b where b.fileKey in :keys";

    /** In a session of its own: the sweeper runs on a schedule, outside any request. */
    @Override
    public Uni<Set<String>> referenced(List<String> keys) {
        return Panache.withSession(() -> Panache.getSession()
                .flatMap(session -> session.createSelectionQuery(REFERENCED, String.class)
                        .setParameter("keys", keys)
                        .getResultList()))
                .map(HashSet::new);
    }
}
