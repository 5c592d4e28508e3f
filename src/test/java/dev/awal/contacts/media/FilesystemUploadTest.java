package dev.awal.contacts.media;

import io.quarkus.test.junit.QuarkusTest;

/** The upload contract on the filesystem backend (the default). */
@QuarkusTest
class FilesystemUploadTest extends UploadContract {
}
