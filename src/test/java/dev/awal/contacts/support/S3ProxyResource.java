package dev.awal.contacts.support;

import java.net.URI;
import java.util.Map;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real S3 protocol server (S3Proxy, signature checking on) in this JVM, on a random loopback port,
 * with an in-memory blob store. Tests can stop and restart it to see the service without its store.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "test-media";
    // Test-only credentials of the in-process S3Proxy; they protect nothing.
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private static BlobStore blobStore;
    private static S3Proxy proxy;
    private static int port;

    @Override
    public Map<String, String> start() {
        blobStore = new TransientNio2BlobStore();
        blobStore.createContainer(BUCKET);
        proxy = build(URI.create("http://127.0.0.1:0"));
        startProxy();
        port = proxy.getPort();
        return Map.of(
                "contacts.storage.type", "s3",
                "contacts.storage.s3.bucket", BUCKET,
                "quarkus.s3.endpoint-override", endpoint(),
                "quarkus.s3.aws.region", "us-east-1",
                "quarkus.s3.path-style-access", "true",
                "quarkus.s3.aws.credentials.type", "static",
                "quarkus.s3.aws.credentials.static-provider.access-key-id", ACCESS_KEY,
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", SECRET_KEY);
    }

    @Override
    public void stop() {
        stopProxy();
    }

    public static String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Takes the store away: connections to its port are refused until {@link #restart()}. */
    public static void stopProxy() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }

    /** Deletes the bucket and everything in it (a bucket deleted or misnamed under a running service). */
    public static void dropBucket() {
        blobStore.deleteContainer(BUCKET);
    }

    /** Creates the bucket again, empty. */
    public static void recreateBucket() {
        blobStore.createContainer(BUCKET);
    }

    /** Brings the store back on the same port with the same contents. */
    public static void restart() {
        proxy = build(URI.create(endpoint()));
        startProxy();
    }

    private static S3Proxy build(URI endpoint) {
        return S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
    }

    private static void startProxy() {
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }
}
