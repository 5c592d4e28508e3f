package dev.awal.contacts.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ClockTest {

    @Test
    void stampsWholeSecondsOfItsSource() {
        Clock clock = new Clock(java.time.Clock.fixed(Instant.parse("2024-03-01T10:00:00.987654Z"), ZoneOffset.UTC));
        assertThat(clock.now()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
    }
}
