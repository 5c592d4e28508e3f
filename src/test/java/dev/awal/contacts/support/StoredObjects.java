package dev.awal.contacts.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Looks into the storage server itself, independently of the service's own storage code: S3 through a
 * separate SDK client, the filesystem backend by reading its root folder.
 */
public final class StoredObjects {

    private static final List<String> FOLDERS = List.of("avatars", "branch-files");

    private StoredObjects() {
    }

    /** The object key at the end of a public URL such as http://host/media/avatars/abc.jpg. */
    public static String keyOf(String url) {
        return URI.create(url).getPath().substring("/media/".length());
    }

    public static boolean exists(String key) {
        return read(key) != null;
    }

    /** The stored bytes, or null when there is no such object. */
    public static byte[] read(String key) {
        if (isS3()) {
            try (S3Client s3 = s3()) {
                return s3.getObjectAsBytes(request -> request.bucket(S3ProxyResource.BUCKET).key(key)).asByteArray();
            } catch (NoSuchKeyException e) {
                return null;
            }
        }
        Path file = root().resolve(key);
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object the service may have written. */
    public static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        if (isS3()) {
            try (S3Client s3 = s3()) {
                for (String folder : FOLDERS) {
                    s3.listObjectsV2Paginator(request -> request.bucket(S3ProxyResource.BUCKET).prefix(folder + "/"))
                            .contents().stream().map(S3Object::key).forEach(keys::add);
                }
            }
            return keys;
        }
        for (String folder : FOLDERS) {
            Path dir = root().resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(file -> keys.add(folder + "/" + file.getFileName()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return keys;
    }

    private static boolean isS3() {
        return "s3".equals(ConfigProvider.getConfig().getValue("contacts.storage.type", String.class));
    }

    private static Path root() {
        return Path.of(ConfigProvider.getConfig().getValue("contacts.storage.filesystem.root", String.class));
    }

    private static S3Client s3() {
        return S3Client.builder()
                .httpClient(ApacheHttpClient.create())
                .endpointOverride(URI.create(ConfigProvider.getConfig().getValue("quarkus.s3.endpoint-override", String.class)))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyResource.ACCESS_KEY, S3ProxyResource.SECRET_KEY)))
                .build();
    }
}
