package dev.awal.contacts.ratelimit;

import static dev.awal.contacts.ratelimit.OperationClass.BRANCH_WRITES;
import static dev.awal.contacts.ratelimit.OperationClass.CONTACT_WRITES;
import static dev.awal.contacts.ratelimit.OperationClass.LIST_CONTACTS;
import static dev.awal.contacts.ratelimit.OperationClass.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationClassTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET, /contacts, LIST_CONTACTS",
            "GET, /contacts/, LIST_CONTACTS",
            "HEAD, /contacts, LIST_CONTACTS",
            "GET, /contacts;v=1, LIST_CONTACTS",
            "POST, /contacts, CONTACT_WRITES",
            "PATCH, /contacts/5, CONTACT_WRITES",
            "PATCH, /contacts/5;x=y, CONTACT_WRITES",
            "PUT, /contacts/5/avatar, CONTACT_WRITES",
            "DELETE, /contacts/5/avatar, CONTACT_WRITES",
            "POST, /branches, BRANCH_WRITES",
            "PATCH, /branches/7, BRANCH_WRITES",
            "PATCH, /branches/7/, BRANCH_WRITES",
            "GET, /contacts/5, OTHER",
            "DELETE, /contacts/5, OTHER",
            "GET, /contacts/5/avatar, OTHER",
            "GET, /branches, OTHER",
            "DELETE, /branches/7, OTHER",
            "POST, /contact-groups, OTHER",
            "PATCH, /contact-groups/3, OTHER",
            "GET, /contactsx, OTHER",
            "POST, /contacts/5/6, OTHER",
            "GET, /unknown, OTHER" })
    void classifiesByMethodAndRoute(String method, String route, OperationClass expected) {
        assertThat(OperationClass.of(method, route)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({ "LIST_CONTACTS, list-contacts", "CONTACT_WRITES, contact-writes", "BRANCH_WRITES, branch-writes",
            "OTHER, other" })
    void counterKeysMatchTheConfigurationPropertyNames(OperationClass operation, String key) {
        assertThat(operation.key()).isEqualTo(key);
    }
}
