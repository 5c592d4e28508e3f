package dev.awal.contacts.support;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client will send: bad escapes, control characters
 * in headers, huge request lines, {@code Upgrade: h2c}, or several requests on one connection.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** One request on a fresh connection, its answer read whole. */
    public static Response exchange(int port, byte[] request) throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(request);
            return http.read();
        }
    }

    public static Response exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Waits until requests refused before routing are answered in the envelope: the handlers are put in
     * place just after the server starts listening, so a test that runs at once could race them.
     */
    public static void awaitPreRoutingRefusals(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            Response response = exchange(port, "GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            if (response != null && response.body().contains("\"status\":false")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("requests refused before routing are still answered without the envelope");
    }

    /** The auth headers of the test client for a request, as a block of header lines. */
    public static String signedHeaders(String method, String rawPath, String rawQuery, byte[] body) {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        return "X-Client-ID: " + Api.CLIENT + "\r\nX-Domain: " + Api.WORKSPACE + "\r\nX-Timestamp: " + timestamp
                + "\r\nX-Awal-Signature-256: sha256="
                + HmacSigner.sign(Api.SECRET, method, rawPath, rawQuery, timestamp, body) + "\r\n";
    }

    /** The envelope with our own wording: no class name, exception text or stack frame. */
    public static void assertEnvelope(RawHttp.Response response, int status, String error) {
        assertThat(response.toString(), response.status(), equalTo(status));
        assertThat(response.header("Content-Type"), containsString("application/json"));
        assertThat(response.body(), containsString("\"status\":false"));
        assertThat(response.body(), containsString("\"error\":\"" + error + "\""));
        assertThat(response.header("X-Request-ID"), notNullValue());
        assertThat(response.header("X-API-Version"), equalTo("v1"));
        assertThat(response.body(), containsString("\"request_id\":\"" + response.header("X-Request-ID") + "\""));
        assertThat(response.body(), not(matchesPattern("(?s).*(java\\.|Exception|\\bat [a-z]+\\.|\\.java:).*")));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads one response: status line, headers and a Content-Length or chunked body. */
    public Response read() throws IOException {
        String head = readHead();
        if (head.isEmpty()) {
            return null;
        }
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if (status == 101 || status == 204 || status == 304) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server closed the connection (reads end). */
    public boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1).trim();
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                readLine();
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }
}
