package dev.awal.contacts.badinput;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client: it writes the request line, headers and body exactly as given
 * (bad escapes, control characters, duplicate or huge headers, bodies that do not match their
 * Content-Type), which java.net.http and REST Assured would refuse or normalise, and reads one answer
 * on a fresh connection. Every read is bounded in time and size.
 */
final class RawHttp {

    /** Longest wait for any single read; a server that stays silent longer is a finding, not a test hang. */
    static final int READ_TIMEOUT_MILLIS = 20_000;
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final int MAX_LINE_BYTES = 64 * 1024;

    /** Text in requests is written byte for byte as ISO-8859-1, so a char below 256 is exactly one byte. */
    record Request(String method, String target, List<String[]> headers, byte[] body, boolean chunked) {

        String headerBlock() {
            StringBuilder out = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            for (String[] header : headers) {
                out.append(header[0]).append(": ").append(header[1]).append("\r\n");
            }
            return out.append("\r\n").toString();
        }
    }

    /** An answer, or why there was none ({@code failure} non-null). Header names are lower case. */
    record Response(int status, String reason, Map<String, List<String>> headers, byte[] body, String failure) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        static Response failed(String why) {
            return new Response(0, "", Map.of(), new byte[0], why);
        }
    }

    private final String host;
    private final int port;

    RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    String hostHeader() {
        return host + ":" + port;
    }

    Response send(Request request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.headerBlock().getBytes(ISO_8859_1));
                writeBody(out, request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before reading a body it refuses; its answer is still there.
            }
            return read(new BufferedInputStream(socket.getInputStream()), request.method());
        } catch (SocketTimeoutException e) {
            return Response.failed("no answer within " + READ_TIMEOUT_MILLIS + " ms");
        } catch (IOException e) {
            return Response.failed("connection failed without an answer: " + e);
        }
    }

    private static void writeBody(OutputStream out, Request request) throws IOException {
        byte[] body = request.body();
        if (!request.chunked()) {
            out.write(body);
            return;
        }
        int chunk = Math.max(1, body.length / 3 + 1);
        for (int offset = 0; offset < body.length; offset += chunk) {
            int length = Math.min(chunk, body.length - offset);
            out.write((Integer.toHexString(length) + "\r\n").getBytes(ISO_8859_1));
            out.write(body, offset, length);
            out.write("\r\n".getBytes(ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(ISO_8859_1));
    }

    private static Response read(InputStream in, String method) throws IOException {
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) {
                return Response.failed("connection closed without an answer");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                return Response.failed("not an HTTP answer: " + Escapes.text(statusLine, 200));
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return Response.failed("unparseable status line: " + Escapes.text(statusLine, 200));
            }
            Map<String, List<String>> headers = headers(in);
            if (status == 100) {
                continue;
            }
            String reason = parts.length > 2 ? parts[2] : "";
            if (status == 101 || method.equals("HEAD") || status == 204 || status == 304) {
                // After a 101 the connection speaks another protocol: stop here rather than wait on it.
                return new Response(status, reason, headers, new byte[0], null);
            }
            return new Response(status, reason, headers, body(in, headers), null);
        }
    }

    private static Map<String, List<String>> headers(InputStream in) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static byte[] body(InputStream in, Map<String, List<String>> headers) throws IOException {
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        if (encoding.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String size;
            while ((size = line(in)) != null) {
                int semicolon = size.indexOf(';');
                int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (length == 0) {
                    headers(in);
                    break;
                }
                out.writeBytes(in.readNBytes(Math.min(length, MAX_BODY_BYTES - out.size())));
                line(in);
                if (out.size() >= MAX_BODY_BYTES) {
                    break;
                }
            }
            return out.toByteArray();
        }
        List<String> length = headers.get("content-length");
        if (length != null) {
            return in.readNBytes((int) Math.min(MAX_BODY_BYTES, Long.parseLong(length.get(0))));
        }
        return in.readNBytes(MAX_BODY_BYTES);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = out.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, ISO_8859_1);
            }
            if (out.size() < MAX_LINE_BYTES) {
                out.write(b);
            }
        }
        return out.size() == 0 ? null : out.toString(ISO_8859_1);
    }
}
