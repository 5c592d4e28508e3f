package dev.awal.contacts.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventKeyTest {

    @Test
    void contactsAreKeyedByWorkspaceAndIdOtherKindsAlsoByTheirKind() {
        assertThat(EventKey.of("alpha", "contact.updated", "42")).isEqualTo("alpha:42");
        assertThat(EventKey.of("alpha", "contact.avatar.updated", "42")).isEqualTo("alpha:42");
        assertThat(EventKey.of("alpha", "contact_group.deleted", "42")).isEqualTo("alpha:contact_group:42");
        assertThat(EventKey.of("beta", "branch.created", "7")).isEqualTo("beta:branch:7");
        // An event about no single row keeps its workspace's events together.
        assertThat(EventKey.of("beta", "import.completed", null)).isEqualTo("beta:import");
    }
}
