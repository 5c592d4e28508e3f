package dev.awal.contacts.support;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Runs a test class against S3 (S3Proxy) instead of the filesystem store. */
public class S3Storage implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(S3ProxyResource.class));
    }
}
