package dev.awal.contacts.devdb;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Gives dev mode and tests a working database with nothing installed: when the dev or test
 * profile is active and no datasource URL is configured, an embedded PostgreSQL is started
 * and its URLs are offered as configuration. Production never takes this path, and a
 * configured {@code QUARKUS_DATASOURCE_REACTIVE_URL} always wins.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    /** Below application.properties (250), so an explicit URL there or in the environment wins. */
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean devOrTest = profiles.contains("dev") || profiles.contains("test");
        if (!devOrTest || context.getValue("quarkus.datasource.reactive.url").getValue() != null) {
            return List.of();
        }
        boolean persistent = profiles.contains("dev");
        EmbeddedDatabase database = EmbeddedDatabase.start(persistent);
        Map<String, String> properties = Map.of(
                "quarkus.datasource.reactive.url", database.reactiveUrl(),
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", EmbeddedDatabase.USER,
                "quarkus.datasource.password", "");
        return List.of(new PropertiesConfigSource(properties, "embedded-postgresql", ORDINAL));
    }
}
