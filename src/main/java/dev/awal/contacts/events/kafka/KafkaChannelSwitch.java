package dev.awal.contacts.events.kafka;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Kafka publication is switched on by {@code kafka.bootstrap.servers} alone. Without it the Messaging channel is
 * disabled through SmallRye Reactive Messaging's per-channel {@code enabled} attribute: a disabled channel is not
 * registered, so no connector client, producer or channel health check is created and nothing connects.
 * Messaging then hosts nothing, and all it would say at start is that the channel is disabled (SRMSG00232) and
 * that its emitter — declared at build time, never looked up — has no downstream (SRMSG00207, a warning); that
 * is what "Kafka off" means here, so its log stays at errors.
 */
public class KafkaChannelSwitch implements ConfigSourceFactory {

    static final String ENABLED = "mp.messaging.outgoing." + KafkaPublisher.CHANNEL + ".enabled";
    static final String MESSAGING_LOG_LEVEL = "quarkus.log.category.\"io.smallrye.reactive.messaging.provider\".level";
    /** Below every ordinary source, so that an explicit setting wins. */
    private static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue servers = context.getValue("kafka.bootstrap.servers");
        boolean configured = servers != null && servers.getValue() != null && !servers.getValue().isBlank();
        Map<String, String> properties = configured ? Map.of(ENABLED, "true")
                : Map.of(ENABLED, "false", MESSAGING_LOG_LEVEL, "ERROR");
        return List.of(new PropertiesConfigSource(properties, "kafka-channel-switch", ORDINAL));
    }
}
