package dev.awal.contacts.badinput;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.awal.contacts.badinput.ApiDocument.Body;
import dev.awal.contacts.badinput.ApiDocument.Field;
import dev.awal.contacts.badinput.ApiDocument.Operation;
import dev.awal.contacts.support.TestData;

/**
 * The valid request of each operation, built from the document's examples, which the mutations
 * then break one aspect at a time. Values that must be unique (phones, group names) get a counter,
 * so a valid request is never refused as a duplicate or a replay.
 */
final class ValidRequests {

    static final String JSON = "application/json";
    static final String URLENCODED = "application/x-www-form-urlencoded";
    static final String MULTIPART = "multipart/form-data";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    static final byte[] PNG = image("png");
    static final byte[] JPEG = image("jpg");
    /** With a tEXt chunk after IHDR / a COM segment after SOI, so the metadata stripper has work to do. */
    static final byte[] PNG_WITH_METADATA = withPngText(PNG);
    static final byte[] JPEG_WITH_METADATA = withJpegComment(JPEG);

    private ValidRequests() {
    }

    /** The media type the valid request uses: JSON when offered, else a form, else the first. */
    static Body preferredBody(Operation op) {
        // A file upload's valid request is its documented file (text/csv); a form without the file is not one.
        for (String type : List.of(JSON, "text/csv", URLENCODED, MULTIPART)) {
            Body body = op.body(type);
            if (body != null) {
                return body;
            }
        }
        return op.bodies().isEmpty() ? null : op.bodies().get(0);
    }

    static Case.Draft draft(Operation op) {
        Case.Draft draft = new Case.Draft(op);
        for (ApiDocument.Param param : op.params("query")) {
            if (param.required()) {
                draft.addQuery(param.name() + "=" + Encoding.percent(value(param.schema()).asText()));
            }
        }
        Body body = preferredBody(op);
        if (body != null) {
            Map<String, JsonNode> fields = fields(body);
            if (op.path().contains("{phone}")) {
                // The path names the phone; another one in the body would be a (rightly refused) contradiction.
                fields.remove("phone");
            }
            withBody(draft, body, fields);
        }
        return draft;
    }

    /** Puts {@code fields} into the draft encoded as {@code body}'s media type. */
    static void withBody(Case.Draft draft, Body body, Map<String, JsonNode> fields) {
        if (body.raw() && body.example() != null && !body.mediaType().startsWith("image/")) {
            // Nothing to build it from but the document's own example (a CSV, a batch of unknown shape).
            String example = body.example().isTextual() ? body.example().asText() : body.example().toString();
            if (body.mediaType().equals("text/csv")) {
                example = withUniqueRow(example);
            }
            draft.body(body.mediaType(), example.getBytes(StandardCharsets.UTF_8));
            return;
        }
        switch (body.mediaType()) {
            case JSON -> draft.body(JSON, body.array() ? Encoding.concat(Encoding.ascii("["), json(fields),
                    Encoding.ascii("]")) : json(fields));
            case URLENCODED -> draft.body(URLENCODED, Encoding.ascii(urlencoded(fields)));
            case MULTIPART -> {
                Multipart multipart = new Multipart();
                fields.forEach((name, value) -> multipart.field(name, Encoding.utf8(value.asText())));
                draft.body(multipart.contentType(), multipart.bytes());
            }
            default -> draft.body(body.mediaType(), rawBody(body.mediaType()));
        }
    }

    /**
     * The CSV with one more row of its own (a fresh phone, a numbered name and email, the other columns empty): the
     * example alone is the same bytes every time, and past a few hundred requests that send it within the replay
     * window the signer's walk back through the window's seconds runs out and the service rightly answers "replayed".
     */
    static String withUniqueRow(String csv) {
        String newline = csv.contains("\r\n") ? "\r\n" : "\n";
        int end = csv.indexOf(newline);
        String header = end < 0 ? csv : csv.substring(0, end);
        int n = SEQUENCE.incrementAndGet();
        List<String> cells = new ArrayList<>();
        for (String column : header.split(",", -1)) {
            cells.add(switch (column.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "name", "full_name" -> "Bad input " + n;
                case "phone" -> "+" + TestData.uniquePhone();
                case "email" -> "bad.input." + n + "@example.com";
                default -> "";
            });
        }
        return (csv.endsWith(newline) ? csv : csv + newline) + String.join(",", cells) + newline;
    }

    static byte[] rawBody(String mediaType) {
        return switch (mediaType) {
            case "image/png" -> PNG;
            case "image/jpeg" -> JPEG;
            default -> "bad input suite".getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Valid values for the fields worth sending: no files, no URLs the service would fetch, no foreign ids. */
    static Map<String, JsonNode> fields(Body body) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Field field : body.fields()) {
            boolean externalId = field.example() != null && field.example().isTextual();
            boolean skipped = field.binary() || "uri".equals(field.format()) || field.name().equals("avatar")
                    || (field.name().endsWith("_id") && !externalId);
            if (field.is("array") && body.example() != null && body.example().has(field.name())) {
                // A list of items (a batch): the document's example list, with phones of its own.
                values.put(field.name(), uniquePhones(body.example().get(field.name()).deepCopy()));
            } else if (!skipped || (body.required().contains(field.name()) && !field.binary())) {
                values.put(field.name(), value(field));
            }
        }
        return values;
    }

    /** Replaces every {@code phone} in {@code node} with a fresh one, so an example list creates new contacts. */
    private static JsonNode uniquePhones(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object && object.has("phone")) {
            object.put("phone", "+" + TestData.uniquePhone());
        }
        node.forEach(ValidRequests::uniquePhones);
        return node;
    }

    static JsonNode value(Field field) {
        int n = SEQUENCE.incrementAndGet();
        String name = field.name();
        if (name.equals("phone")) {
            return NODES.textNode("+" + TestData.uniquePhone());
        }
        if (name.equals("key")) {
            // A custom attribute's key: unique in the workspace, snake_case.
            return NODES.textNode("bad_input_" + n);
        }
        if (name.contains("email") || "email".equals(field.format())) {
            return NODES.textNode("bad.input." + n + "@example.com");
        }
        if (name.equals("name")) {
            String base = field.example() != null ? field.example().asText() : "Bad input";
            return NODES.textNode(base + " " + n + "-" + UUID.randomUUID().toString().substring(0, 8));
        }
        if (name.equals("description")) {
            // Free text made unique, so a body without a name or phone (a webhook) is never byte-identical to one
            // another test signed in the same second, which the replay guard would refuse.
            String base = field.example() != null ? field.example().asText() : "Bad input";
            return NODES.textNode(base + " " + n);
        }
        if (!field.enumeration().isEmpty()) {
            return field.enumeration().get(0);
        }
        if (field.example() != null && !field.example().isNull()) {
            return field.example();
        }
        if (field.defaultValue() != null) {
            return field.defaultValue();
        }
        if (field.is("boolean")) {
            return NODES.booleanNode(true);
        }
        if (field.is("integer") || field.is("number")) {
            return NODES.numberNode(1);
        }
        return NODES.textNode("Bad input " + n);
    }

    static byte[] json(Map<String, JsonNode> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(Encoding.jsonString(name)).append(':').append(value.toString());
        });
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    static String urlencoded(Map<String, JsonNode> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((name, value) -> {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(Encoding.percent(name)).append('=').append(Encoding.percent(value.asText()));
        });
        return out.toString();
    }

    private static byte[] image(String format) {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] withPngText(byte[] png) {
        byte[] data = "Comment\u0000bad input suite".getBytes(StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put("tEXt".getBytes(StandardCharsets.US_ASCII)).put(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        int ihdrEnd = 33;
        return Encoding.concat(java.util.Arrays.copyOf(png, ihdrEnd), chunk.array(),
                java.util.Arrays.copyOfRange(png, ihdrEnd, png.length));
    }

    private static byte[] withJpegComment(byte[] jpeg) {
        byte[] text = "bad input suite".getBytes(StandardCharsets.US_ASCII);
        byte[] segment = new byte[4 + text.length];
        segment[0] = (byte) 0xFF;
        segment[1] = (byte) 0xFE;
        segment[2] = (byte) ((text.length + 2) >> 8);
        segment[3] = (byte) (text.length + 2);
        System.arraycopy(text, 0, segment, 4, text.length);
        return Encoding.concat(java.util.Arrays.copyOf(jpeg, 2), segment,
                java.util.Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /** A multipart/form-data body whose every byte can be bent (boundary, part headers, line endings). */
    static final class Multipart {
        String boundary = "----bad-input-" + UUID.randomUUID();
        final List<byte[][]> parts = new ArrayList<>();
        String lineEnd = "\r\n";
        boolean closed = true;

        Multipart field(String name, byte[] value) {
            return part("Content-Disposition: form-data; name=\"" + name + "\"", value);
        }

        Multipart file(String name, String fileName, String contentType, byte[] content) {
            return part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\""
                    + lineEnd + "Content-Type: " + contentType, content);
        }

        /** A part with its header lines given as raw text (ISO-8859-1, so any byte can be written). */
        Multipart part(String headerLines, byte[] content) {
            parts.add(new byte[][] { Encoding.ascii(headerLines), content });
            return this;
        }

        String contentType() {
            return MULTIPART + "; boundary=" + boundary;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] end = Encoding.ascii(lineEnd);
            for (byte[][] part : parts) {
                out.writeBytes(Encoding.ascii("--" + boundary));
                out.writeBytes(end);
                if (part[0].length > 0) {
                    out.writeBytes(part[0]);
                    out.writeBytes(end);
                }
                out.writeBytes(end);
                out.writeBytes(part[1]);
                out.writeBytes(end);
            }
            if (closed) {
                out.writeBytes(Encoding.ascii("--" + boundary + "--"));
                out.writeBytes(end);
            }
            return out.toByteArray();
        }
    }
}
