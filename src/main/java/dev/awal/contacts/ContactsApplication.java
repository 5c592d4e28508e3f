package dev.awal.contacts;

import java.util.List;
import java.util.Locale;

import dev.awal.contacts.openapi.StoredOpenApiDocument;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. When no embedded database can stand in (it is not packaged for production) a
 * missing database setting would otherwise surface as a long stack trace from the datasource
 * layer; an operator gets one line saying what to set instead. Dev mode and tests carry the
 * embedded database and skip the check. It also keeps SmallRye OpenAPI from parsing its document at
 * start (StoredOpenApiDocument serves it).
 */
@QuarkusMain
public class ContactsApplication {

    private static final List<String> REQUIRED_IN_PROD = List.of(
            "quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.url", "quarkus.datasource.username");

    public static void main(String... args) {
        if (!embeddedDatabaseAvailable()) {
            List<String> missing = REQUIRED_IN_PROD.stream().filter(ContactsApplication::unset)
                    .map(ContactsApplication::envName).toList();
            if (!missing.isEmpty()) {
                System.err.println("contacts-service: missing database configuration; set " + String.join(", ", missing)
                        + " (and QUARKUS_DATASOURCE_PASSWORD) — see README, Configuration");
                System.exit(1);
            }
        }
        StoredOpenApiDocument.keepSmallRyeFromParsingAtStart();
        Quarkus.run(args);
    }

    private static boolean embeddedDatabaseAvailable() {
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false,
                    ContactsApplication.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static boolean unset(String property) {
        String value = value(property);
        return value == null || value.isBlank();
    }

    private static String value(String property) {
        String fromSystem = System.getProperty(property);
        return fromSystem != null ? fromSystem : System.getenv(envName(property));
    }

    private static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
