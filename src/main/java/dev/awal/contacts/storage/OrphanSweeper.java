package dev.awal.contacts.storage;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Deletes objects that no row references (as {@link ObjectReferences} tells), once they are older than
 * the grace period: leftovers of crashes between an upload and its row, or of deletions that failed
 * after a commit.
 */
@ApplicationScoped
public class OrphanSweeper {

    private static final Logger LOG = Logger.getLogger(OrphanSweeper.class);
    private static final int BATCH = 500;

    private final ObjectStorage storage;
    private final StorageConfig config;
    private final ObjectReferences references;

    OrphanSweeper(ObjectStorage storage, StorageConfig config, ObjectReferences references) {
        this.storage = storage;
        this.config = config;
        this.references = references;
    }

    @Scheduled(every = "${contacts.storage.sweeper.interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepOnSchedule() {
        return sweep(Instant.now().minus(config.sweeper().gracePeriod()))
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("Deleted %d unreferenced objects", deleted);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("Sweeping unreferenced objects failed: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes every unreferenced object last modified before {@code cutoff}; answers how many. */
    public Uni<Integer> sweep(Instant cutoff) {
        return Multi.createFrom().iterable(ObjectKeys.FOLDERS)
                .onItem().transformToMultiAndConcatenate(storage::list)
                .select().where(object -> object.lastModified().isBefore(cutoff) && ObjectKeys.isValid(object.key()))
                .map(ObjectStorage.ListedObject::key)
                .group().intoLists().of(BATCH)
                .onItem().transformToUniAndConcatenate(this::deleteUnreferenced)
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    private Uni<Integer> deleteUnreferenced(List<String> keys) {
        return references.referenced(keys).flatMap(referenced -> {
            List<String> orphans = keys.stream().filter(key -> !referenced.contains(key)).toList();
            return Multi.createFrom().iterable(orphans)
                    .onItem().transformToUniAndConcatenate(storage::delete)
                    .collect().last()
                    .replaceWith(orphans.size());
        });
    }
}
