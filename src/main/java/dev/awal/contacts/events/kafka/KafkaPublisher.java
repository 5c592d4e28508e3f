package dev.awal.contacts.events.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Publishes the outbox to Kafka (README "Events, change feed and webhooks", Kafka) when
 * {@code kafka.bootstrap.servers} is configured; otherwise it creates no producer and schedules nothing. Each
 * round, on the replica holding the topic's lease: read a batch of events after the acknowledged position in
 * the feed's order, send them in that order, wait until the broker has acknowledged every one, then advance
 * the position (renewing the lease). A failure or a crash before the advance sends the batch again: at least
 * once, never skipping an event.
 */
@ApplicationScoped
public class KafkaPublisher {

    private static final Logger LOG = Logger.getLogger(KafkaPublisher.class);
    static final String EVENT_ID_HEADER = "event-id";
    static final String EVENT_TYPE_HEADER = "event-type";
    static final int MAX_BATCH = 1000;
    static final String JOB = "kafka-publication";
    /** Batches per call of {@link #publish}, so that a long backlog is worked off in bounded steps. */
    static final int MAX_ROUNDS = 100;

    private final PublicationStore store;
    private final KafkaConfig config;
    private final ObjectMapper json;
    private final Instance<Map<String, Object>> kafkaConfig;
    private final boolean enabled;
    /** This replica's name in the lease. */
    private final String owner = UUID.randomUUID().toString();
    private volatile Producer<String, String> producer;

    KafkaPublisher(PublicationStore store, KafkaConfig config, ObjectMapper json,
            @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers) {
        this.store = store;
        this.config = config;
        this.json = json;
        this.kafkaConfig = kafkaConfig;
        this.enabled = bootstrapServers.filter(servers -> !servers.isBlank()).isPresent();
    }

    /** Whether Kafka publication is configured on this replica. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether this replica has a Kafka producer (only when publication is configured). */
    public boolean producing() {
        return producer != null;
    }

    void onStart(@Observes StartupEvent event, Scheduler scheduler) {
        if (!enabled) {
            return;
        }
        if (config.batchSize() < 1 || config.batchSize() > MAX_BATCH) {
            throw new IllegalStateException("contacts.kafka.batch-size must be from 1 to " + MAX_BATCH);
        }
        // Serializers as instances: nothing for the native image to reflect on.
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
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

    /** The kafka.* configuration, plus what the guarantees rely on (README: delivery guarantees). */
    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>(kafkaConfig.get());
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "contacts-events-" + owner.substring(0, 8));
        // Acknowledged means written to every in-sync replica; idempotence keeps a partition's order across retries.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        int timeout = (int) config.sendTimeout().toMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        // The producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout / 2, 10_000));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeout, 10_000));
        return props;
    }

    /** Hands the lease back on shutdown, so another replica continues without waiting for it to expire. */
    void onStop(@Observes ShutdownEvent event) {
        if (producer == null) {
            return;
        }
        try {
            store.release(config.topic(), owner).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Could not hand back the Kafka publication lease; it expires after %s: %s", config.lease(), e.toString());
        }
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * Publishes what is visible after the acknowledged position, as {@code owner}, batch after batch (at most
     * {@link #MAX_ROUNDS}; the next call goes on); answers how many events the broker acknowledged, 0 when
     * another owner holds the lease.
     */
    public Uni<Integer> publish(String owner) {
        if (producer == null) {
            return Uni.createFrom().item(0);
        }
        return publish(owner, MAX_ROUNDS);
    }

    private Uni<Integer> publish(String owner, int rounds) {
        return publishBatch(owner).flatMap(sent -> sent < config.batchSize() || rounds == 1
                ? Uni.createFrom().item(sent)
                : publish(owner, rounds - 1).map(more -> sent + more));
    }

    /** One round: claim, read, send, wait for every acknowledgement, advance. */
    Uni<Integer> publishBatch(String owner) {
        long lease = config.lease().toMillis();
        return store.claim(config.topic(), owner, lease).flatMap(position -> {
            if (position == null) {
                return Uni.createFrom().item(0);
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

    /** Sends the events in order; completes when the broker has acknowledged all of them, fails if one failed. */
    Uni<Void> send(List<OutboxEvent> events) {
        // send() may block (up to max.block.ms) while it fetches metadata: never on the event loop.
        return Uni.createFrom().item(() -> {
            CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
            for (int i = 0; i < events.size(); i++) {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                acks[i] = ack;
                producer.send(record(events.get(i)), (metadata, failure) -> {
                    if (failure == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(failure);
                    }
                });
            }
            return CompletableFuture.allOf(acks);
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(all -> Uni.createFrom().completionStage(all))
                // Acknowledgements complete on the producer's network thread: continue elsewhere.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    private ProducerRecord<String, String> record(OutboxEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(config.topic(),
                EventKey.of(event.workspace(), event.type(), event.aggregateId()), envelope(event));
        record.headers().add(EVENT_ID_HEADER, Long.toString(event.id()).getBytes(StandardCharsets.UTF_8));
        record.headers().add(EVENT_TYPE_HEADER, event.type().getBytes(StandardCharsets.UTF_8));
        return record;
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
