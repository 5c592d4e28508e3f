package dev.awal.contacts.bulk;

import dev.awal.contacts.support.S3Storage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Import files on S3 (S3Proxy). */
@QuarkusTest
@TestProfile(S3Storage.class)
class ImportFilesS3Test extends ImportFilesContract {
}
