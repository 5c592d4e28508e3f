package dev.awal.contacts.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.awal.contacts.ratelimit.OperationClass;

/** Bulk routes count against the contact limits: a batch or an upsert is one write, an export one list. */
class BulkOperationClassTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "POST, /contacts/batch, CONTACT_WRITES",
            "PUT, /contacts/by-phone/966501234567, CONTACT_WRITES",
            "PUT, /contacts/by-phone/%2B966%2050, CONTACT_WRITES",
            "GET, /contacts/by-phone/966501234567, OTHER",
            "GET, /contacts/export, LIST_CONTACTS",
            "POST, /contacts/imports, CONTACT_WRITES",
            "GET, /contacts/imports, OTHER",
            "GET, /contacts/imports/5, OTHER",
            "DELETE, /contacts/imports/5, OTHER",
            "GET, /contacts/batch, OTHER",
            "PUT, /contacts/by-phone/1/2, OTHER" })
    void classifiesBulkRoutes(String method, String route, OperationClass expected) {
        assertThat(OperationClass.of(method, route)).isEqualTo(expected);
    }
}
