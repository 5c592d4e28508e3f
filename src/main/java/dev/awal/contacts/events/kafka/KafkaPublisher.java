package dev.awal.contacts.events.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.events.EventView;
import dev.awal.contacts.events.kafka.PublicationStore.OutboxEvent;
import dev.awal.contacts.events.kafka.PublicationStore.Position;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes the outbox to Kafka (README "Events, change feed and webhooks", Kafka) through the Messaging channel
 * {@value #CHANNEL} when {@code kafka.bootstrap.servers} is configured; otherwise the channel is disabled
 * (KafkaChannelSwitch), its emitter is never looked up and nothing is scheduled. Each round, on the replica
 * holding the topic's lease: read a batch of events after the acknowledged position in the feed's order, emit
 * them in that order, wait until the broker has acknowledged every one (the Kafka connector acknowledges a
 * message only then), then advance the position (renewing the lease). A failure or a crash before the advance
 * sends the batch again: at least once, never skipping an event.
 */
@ApplicationScoped
public class KafkaPublisher {

    private static final Logger LOG = Logger.getLogger(KafkaPublisher.class);
    /** The outgoing Messaging channel; its connector settings are mp.messaging.outgoing.contacts-events.*. */
    static final String CHANNEL = "contacts-events";
    static final String EVENT_ID_HEADER = "event-id";
    static final String EVENT_TYPE_HEADER = "event-type";
    /** Below the channel's max-inflight-messages (1024), so a whole batch is in flight at once. */
    static final int MAX_BATCH = 1000;
    static final String JOB = "kafka-publication";
    /** Batches per call of {@link #publish}, so that a long backlog is worked off in bounded steps. */
    static final int MAX_ROUNDS = 100;

    private final PublicationStore store;
    private final KafkaConfig config;
    private final ObjectMapper json;
    /** Looked up only when the channel is enabled: an emitter of a disabled channel cannot exist (SRMSG00019). */
    private final Instance<MutinyEmitter<Record<String, String>>> emitterLookup;
    private final boolean enabled;
    /** This replica's name in the lease. */
    private final String owner = UUID.randomUUID().toString();
    private volatile MutinyEmitter<Record<String, String>> emitter;
    /** Set at shutdown before the lease is handed back: no round may claim it again afterwards. */
    private volatile boolean stopping;

    KafkaPublisher(PublicationStore store, KafkaConfig config, ObjectMapper json,
            @Channel(CHANNEL) Instance<MutinyEmitter<Record<String, String>>> emitterLookup,
            @ConfigProperty(name = KafkaChannelSwitch.ENABLED, defaultValue = "false") boolean enabled) {
        this.store = store;
        this.config = config;
        this.json = json;
        this.emitterLookup = emitterLookup;
        this.enabled = enabled;
    }

    /** Whether Kafka publication is configured on this replica. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether this replica holds the channel's emitter (only when publication is configured). */
    public boolean producing() {
        return emitter != null;
    }

    void onStart(@Observes StartupEvent event, Scheduler scheduler) {
        if (!enabled) {
            return;
        }
        if (config.batchSize() < 1 || config.batchSize() > MAX_BATCH) {
            throw new IllegalStateException("contacts.kafka.batch-size must be from 1 to " + MAX_BATCH);
        }
        emitter = emitterLookup.get();
        if (config.pollInterval().equalsIgnoreCase("off")) {
            return;
        }
        LOG.infof("Publishing events to Kafka topic %s", config.topic());
        scheduler.newJob(JOB).setInterval(config.pollInterval()).setDelayed("2s")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> publish(owner)
                        .onFailure().invoke(e -> LOG.warnf("Publishing events to Kafka failed; retrying from the last"
                                + " acknowledged event: %s", e.toString()))
                        .onFailure().recoverWithNull().replaceWithVoid())
                .schedule();
    }

    /**
     * Hands the lease back on shutdown, so another replica continues without waiting for it to expire. Stops this
     * replica's rounds first: a round still running (or the job firing once more before the scheduler stops)
     * claimed the lease again after its release, and the other replicas then waited out its whole length.
     */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (emitter == null) {
            return;
        }
        try {
            store.release(config.topic(), owner).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Could not hand back the Kafka publication lease; it expires after %s: %s", config.lease(), e.toString());
        }
    }

    /** Undoes {@link #onStop}'s stop (for tests: one application serves every test class of a profile). */
    void resumeAfterStop() {
        stopping = false;
    }

    /**
     * Publishes what is visible after the acknowledged position, as {@code owner}, batch after batch (at most
     * {@link #MAX_ROUNDS}; the next call goes on); answers how many events the broker acknowledged, 0 when
     * another owner holds the lease.
     */
    public Uni<Integer> publish(String owner) {
        if (emitter == null || stopping) {
            return Uni.createFrom().item(0);
        }
        return publish(owner, MAX_ROUNDS);
    }

    private Uni<Integer> publish(String owner, int rounds) {
        return publishBatch(owner).flatMap(sent -> sent < config.batchSize() || rounds == 1 || stopping
                ? Uni.createFrom().item(sent)
                : publish(owner, rounds - 1).map(more -> sent + more));
    }

    /** One round: claim, read, send, wait for every acknowledgement, advance. */
    Uni<Integer> publishBatch(String owner) {
        long lease = config.lease().toMillis();
        if (stopping) {
            return Uni.createFrom().item(0);
        }
        return store.claim(config.topic(), owner, lease).flatMap(position -> {
            if (position == null) {
                return Uni.createFrom().item(0);
            }
            if (stopping) { // claimed while the shutdown handed the lease back: hand it back again
                return store.release(config.topic(), owner).replaceWith(0);
            }
            return store.read(position, config.batchSize()).flatMap(events -> {
                if (events.isEmpty()) {
                    return Uni.createFrom().item(0);
                }
                Position last = events.get(events.size() - 1).position();
                return send(events)
                        .flatMap(acked -> store.advance(config.topic(), owner, last, lease))
                        .map(advanced -> advanced ? events.size() : 0);
            });
        });
    }

    /**
     * Emits the events in order; completes when the broker has acknowledged all of them, fails if one failed —
     * after every record's outcome is known, so that no record of a failed batch is still in flight when the
     * batch is sent again. Emitting never blocks: the connector sends from its own thread.
     */
    Uni<Void> send(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> acks = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            acks.add(emitter.sendMessage(message(event)));
        }
        return Uni.join().all(acks).andCollectFailures()
                // One failure for the batch, not one per record (the connector has logged each).
                .onFailure(CompositeException.class).transform(e -> {
                    List<Throwable> failures = ((CompositeException) e).getCauses();
                    return new IllegalStateException(failures.size() + " of " + events.size()
                            + " records were not acknowledged: " + failures.get(0), failures.get(0));
                })
                // Without a Vert.x context the acknowledgements complete on the producer's network thread.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    private Message<Record<String, String>> message(OutboxEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EVENT_ID_HEADER, Long.toString(event.id()).getBytes(StandardCharsets.UTF_8));
        headers.add(EVENT_TYPE_HEADER, event.type().getBytes(StandardCharsets.UTF_8));
        // The topic comes from contacts.kafka.topic, the name the lease and the position are kept under.
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String> builder()
                .withTopic(config.topic()).withHeaders(headers).build();
        return Message.of(Record.of(EventKey.of(event.workspace(), event.type(), event.aggregateId()), envelope(event)))
                .addMetadata(metadata);
    }

    /** The event exactly as the feed lists it. */
    private String envelope(OutboxEvent event) {
        try {
            return json.writeValueAsString(new EventView(event.id(), event.type(), event.workspace(), event.createdAt(), event.data()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " could not be written as JSON", e);
        }
    }
}
