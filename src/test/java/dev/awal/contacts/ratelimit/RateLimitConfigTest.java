package dev.awal.contacts.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class RateLimitConfigTest {

    private static RateLimitConfig load(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withMapping(RateLimitConfig.class)
                .build();
        return config.getConfigMapping(RateLimitConfig.class);
    }

    @Test
    void defaultsAreAwalChats() {
        RateLimitConfig limits = load(Map.of());
        assertThat(limits.of(OperationClass.LIST_CONTACTS)).isEqualTo(new Limit(200, Duration.ofMinutes(1)));
        assertThat(limits.of(OperationClass.CONTACT_WRITES)).isEqualTo(new Limit(100, Duration.ofMinutes(1)));
        assertThat(limits.of(OperationClass.BRANCH_WRITES)).isEqualTo(new Limit(50, Duration.ofHours(1)));
        assertThat(limits.of(OperationClass.OTHER)).isEqualTo(new Limit(300, Duration.ofMinutes(1)));
    }

    @Test
    void eachClassIsConfigurable() {
        RateLimitConfig limits = load(Map.of(
                "contacts.rate-limits.list-contacts", "20/30s",
                "contacts.rate-limits.contact-writes", "7/PT2M",
                "contacts.rate-limits.branch-writes", " 5 / 2h ",
                "contacts.rate-limits.other", "1000/60"));
        assertThat(limits.listContacts()).isEqualTo(new Limit(20, Duration.ofSeconds(30)));
        assertThat(limits.contactWrites()).isEqualTo(new Limit(7, Duration.ofMinutes(2)));
        assertThat(limits.branchWrites()).isEqualTo(new Limit(5, Duration.ofHours(2)));
        assertThat(limits.other()).isEqualTo(new Limit(1000, Duration.ofMinutes(1)));
    }

    @Test
    void nonsenseIsRefusedAtStartRatherThanMisapplied() {
        Limit.LimitConverter converter = new Limit.LimitConverter();
        assertThatThrownBy(() -> converter.convert("200")).hasMessageContaining("<requests>/<period>");
        assertThatThrownBy(() -> converter.convert("0/1m")).hasMessageContaining("at least one request");
        assertThatThrownBy(() -> converter.convert("10/500ms")).hasMessageContaining("at least one second");
        assertThatThrownBy(() -> converter.convert("ten/1m")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> load(Map.of("contacts.rate-limits.other", "-3/1m")))
                .hasStackTraceContaining("at least one request");
    }

    @Test
    void limitsDescribeThemselvesForMessages() {
        assertThat(new Limit(200, Duration.ofMinutes(1)).describe()).isEqualTo("200 requests per minute");
        assertThat(new Limit(50, Duration.ofHours(1)).describe()).isEqualTo("50 requests per hour");
        assertThat(new Limit(5, Duration.ofHours(2)).describe()).isEqualTo("5 requests per 2 hours");
        assertThat(new Limit(9, Duration.ofSeconds(90)).describe()).isEqualTo("9 requests per 90 seconds");
    }
}
