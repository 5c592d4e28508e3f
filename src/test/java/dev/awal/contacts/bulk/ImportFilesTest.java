package dev.awal.contacts.bulk;

import io.quarkus.test.junit.QuarkusTest;

/** Import files on the filesystem store (target/test-storage). */
@QuarkusTest
class ImportFilesTest extends ImportFilesContract {
}
