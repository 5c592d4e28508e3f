package dev.awal.contacts.storage.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import dev.awal.contacts.support.HmacSigner;

/**
 * The load side of bench/upload-memory.sh: after a short warm-up, N concurrent signed
 * PUT /contacts/{id}/avatar with a valid PNG just under 5 MB, then N concurrent uploads over the limit sent chunked (no Content-Length, so the
 * service has to decide while streaming). Writes one JSON object with per-phase statuses and latencies.
 * Arguments: base URL, client id, secret, workspace, concurrency, output file.
 */
public final class UploadMemoryBench {

    private static final int LIMIT = 5 * 1024 * 1024;
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String client;
    private final String secret;
    private final String workspace;
    private final int phoneBase = new Random().nextInt(10_000_000);

    private UploadMemoryBench(String base, String client, String secret, String workspace) {
        this.base = base;
        this.client = client;
        this.secret = secret;
        this.workspace = workspace;
    }

    public static void main(String[] args) throws Exception {
        UploadMemoryBench bench = new UploadMemoryBench(args[0], args[1], args[2], args[3]);
        int concurrency = Integer.parseInt(args[4]);
        byte[] image = noisePng();
        byte[] overLimit = Arrays.copyOf(image, LIMIT + 1024 * 1024);

        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            ids.add(bench.createContact(i));
        }
        // A few uploads first, so the measured ones do not pay for class loading and JIT compilation.
        bench.phase("warm-up", ids.subList(0, Math.min(4, ids.size())), image, false);
        String uploads = bench.phase("upload", ids, image, false);
        String rejected = bench.phase("over_limit", ids, overLimit, true);
        String json = "{\"concurrency\":" + concurrency + ",\"upload_bytes\":" + image.length
                + ",\"over_limit_bytes\":" + overLimit.length + ",\"phases\":[" + uploads + "," + rejected + "]}";
        Files.writeString(Path.of(args[5]), json);
        System.out.println(json);
    }

    /** Random pixels do not compress, so a 1290x1290 RGB PNG lands just under 5 MB. */
    private static byte[] noisePng() throws IOException {
        BufferedImage picture = new BufferedImage(1290, 1290, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                picture.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", out);
        if (out.size() > LIMIT) {
            throw new IllegalStateException("bench image is over the limit: " + out.size());
        }
        return out.toByteArray();
    }

    private long createContact(int n) throws Exception {
        // 050xxxxxxx is a valid Saudi mobile range; a random start keeps repeated runs on one database apart.
        String phone = String.format("96650%07d", (phoneBase + n) % 10_000_000);
        byte[] body = ("{\"name\":\"Bench " + n + "\",\"phone\":\"+" + phone + "\"}").getBytes(StandardCharsets.UTF_8);
        var response = http.send(signed("POST", "/api/developer/contacts", "phone_number_id=1", body,
                BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json").build(),
                BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create failed: " + response.statusCode() + " " + response.body());
        }
        Matcher id = ID.matcher(response.body());
        if (!id.find()) {
            throw new IllegalStateException("no id in " + response.body());
        }
        return Long.parseLong(id.group(1));
    }

    /** All requests start together; answers the phase as a JSON object. */
    private String phase(String name, List<Long> ids, byte[] body, boolean chunked) {
        List<CompletableFuture<long[]>> requests = new ArrayList<>();
        for (long id : ids) {
            String path = "/api/developer/contacts/" + id + "/avatar";
            // An input-stream publisher has no known length, so the body goes out chunked.
            BodyPublisher publisher = chunked ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                    : BodyPublishers.ofByteArray(body);
            HttpRequest request = signed("PUT", path, null, body, publisher).header("Content-Type", "image/png").build();
            long start = System.nanoTime();
            requests.add(http.sendAsync(request, BodyHandlers.ofString())
                    .handle((response, failure) -> new long[] {
                            failure == null ? response.statusCode() : -1, (System.nanoTime() - start) / 1_000_000 }));
        }
        List<long[]> results = requests.stream().map(CompletableFuture::join).toList();
        Map<String, Integer> statuses = new TreeMap<>();
        long[] latencies = results.stream().mapToLong(r -> r[1]).sorted().toArray();
        int succeeded = 0;
        for (long[] result : results) {
            statuses.merge(result[0] == -1 ? "error" : String.valueOf(result[0]), 1, Integer::sum);
            boolean expected = name.equals("over_limit") ? result[0] == 413 : result[0] == 200;
            succeeded += expected ? 1 : 0;
        }
        StringBuilder json = new StringBuilder("{\"phase\":\"" + name + "\",\"requests\":" + results.size()
                + ",\"as_expected\":" + succeeded + ",\"statuses\":{");
        statuses.forEach((status, count) -> json.append('"').append(status).append("\":").append(count).append(','));
        json.setLength(json.length() - 1);
        json.append("},\"p50_ms\":").append(percentile(latencies, 50)).append(",\"p95_ms\":")
                .append(percentile(latencies, 95)).append(",\"max_ms\":").append(latencies[latencies.length - 1])
                .append('}');
        return json.toString();
    }

    private static long percentile(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    private HttpRequest.Builder signed(String method, String path, String query, byte[] body, BodyPublisher publisher) {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String signature = HmacSigner.sign(secret, method, path, query, timestamp, body);
        return HttpRequest.newBuilder(URI.create(base + path + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(120))
                .method(method, publisher)
                .header("X-Timestamp", timestamp)
                .header("X-Client-ID", client)
                .header("X-Domain", workspace)
                .header("X-Awal-Signature-256", "sha256=" + signature);
    }
}
