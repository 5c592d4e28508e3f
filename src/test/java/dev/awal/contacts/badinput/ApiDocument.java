package dev.awal.contacts.badinput;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operations of the service's own OpenAPI document, reduced to what the generator needs: each
 * operation's parameters and, per request media type, the flattened fields of its body schema
 * ({@code $ref} resolved, {@code allOf} merged). Nothing about the API is hard-coded here, so a new
 * endpoint is covered as soon as it is documented.
 */
final class ApiDocument {

    /** The auth headers are the signer's business, not parameters to mutate. */
    private static final Set<String> AUTH_HEADERS = Set.of("x-domain", "x-client-id", "x-timestamp",
            "x-awal-signature-256");
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    record Param(String name, String in, boolean required, Field schema) {
    }

    /** One property of a schema (or a parameter's schema). {@code types} as declared, e.g. [integer, null]. */
    record Field(String name, Set<String> types, String format, JsonNode example, List<JsonNode> enumeration,
            Integer maxLength, JsonNode defaultValue) {

        boolean is(String type) {
            return types.contains(type);
        }

        boolean binary() {
            return "binary".equals(format);
        }

        boolean numeric() {
            return is("integer") || is("number")
                    || (!enumeration.isEmpty() && enumeration.stream().allMatch(JsonNode::isNumber));
        }
    }

    /**
     * @param array the body is a JSON array of objects with these fields (a batch), not one object
     * @param example the media type's documented example, if any
     */
    record Body(String mediaType, List<Field> fields, Set<String> required, boolean array, JsonNode example) {

        /** A body that is a document in itself (an image, a file) rather than fields. */
        boolean raw() {
            return fields.isEmpty();
        }
    }

    record Operation(String method, String path, String id, List<Param> params, List<Body> bodies) {

        List<Param> params(String in) {
            return params.stream().filter(p -> p.in().equals(in)).toList();
        }

        boolean hasPathId() {
            return !params("path").isEmpty();
        }

        /** The collection a path id belongs to: {@code /contacts/{id}/avatar} → {@code /contacts}. */
        String collection() {
            int brace = path.indexOf("/{");
            return brace < 0 ? path : path.substring(0, brace);
        }

        /** True when the path ends with the id, so a DELETE removes the resource itself. */
        boolean removesResource() {
            return method.equals("DELETE") && path.endsWith("}");
        }

        Body body(String mediaType) {
            return bodies.stream().filter(b -> b.mediaType().equals(mediaType)).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return method + " " + path + " (" + id + ")";
        }
    }

    private final JsonNode root;
    final List<Operation> operations = new ArrayList<>();

    ApiDocument(JsonNode root, String pathPrefix) {
        this.root = root;
        Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith(pathPrefix)) {
                continue;
            }
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op != null) {
                    operations.add(operation(method.toUpperCase(Locale.ROOT), path.getKey(), op,
                            path.getValue().path("parameters")));
                }
            }
        }
    }

    private Operation operation(String method, String path, JsonNode op, JsonNode sharedParams) {
        List<Param> params = new ArrayList<>();
        for (JsonNode list : List.of(sharedParams, op.path("parameters"))) {
            for (JsonNode p : list) {
                JsonNode param = resolve(p);
                String name = param.path("name").asText();
                String in = param.path("in").asText();
                if (in.equals("header") && AUTH_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                Field field = field(name, resolve(param.path("schema")));
                if (field.example() == null && param.has("example")) {
                    field = new Field(name, field.types(), field.format(), param.get("example"), field.enumeration(),
                            field.maxLength(), field.defaultValue());
                }
                params.add(new Param(name, in, param.path("required").asBoolean(in.equals("path")), field));
            }
        }
        List<Body> bodies = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> content = resolve(op.path("requestBody")).path("content").fields();
        while (content.hasNext()) {
            Map.Entry<String, JsonNode> media = content.next();
            Map<String, Field> fields = new LinkedHashMap<>();
            Set<String> required = new LinkedHashSet<>();
            JsonNode schema = resolve(media.getValue().path("schema"));
            boolean array = schema.has("items");
            collect(array ? schema.get("items") : schema, fields, required, 0);
            JsonNode example = media.getValue().get("example");
            if (example == null && media.getValue().path("examples").isObject()
                    && media.getValue().get("examples").elements().hasNext()) {
                example = resolve(media.getValue().get("examples").elements().next()).get("value");
            }
            bodies.add(new Body(media.getKey(), List.copyOf(fields.values()), required, array, example));
        }
        String id = op.path("operationId").asText(method + " " + path);
        return new Operation(method, path, id, List.copyOf(params), List.copyOf(bodies));
    }

    /** Properties of a schema, through $ref, allOf, oneOf and anyOf (all variants merged). */
    private void collect(JsonNode schemaRef, Map<String, Field> fields, Set<String> required, int depth) {
        JsonNode schema = resolve(schemaRef);
        if (depth > 10 || schema.isMissingNode()) {
            return;
        }
        for (String combinator : List.of("allOf", "oneOf", "anyOf")) {
            for (JsonNode part : schema.path(combinator)) {
                collect(part, fields, required, depth + 1);
            }
        }
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            fields.put(property.getKey(), field(property.getKey(), resolve(property.getValue())));
        }
        schema.path("required").forEach(r -> required.add(r.asText()));
    }

    private Field field(String name, JsonNode schema) {
        Set<String> types = new LinkedHashSet<>();
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else if (type.isTextual()) {
            types.add(type.asText());
        }
        if (schema.path("nullable").asBoolean(false)) {
            types.add("null");
        }
        JsonNode example = schema.has("examples") && schema.get("examples").isArray() && !schema.get("examples").isEmpty()
                ? schema.get("examples").get(0)
                : schema.get("example");
        List<JsonNode> enumeration = new ArrayList<>();
        schema.path("enum").forEach(enumeration::add);
        Integer maxLength = schema.has("maxLength") ? schema.get("maxLength").asInt() : null;
        return new Field(name, types, schema.path("format").asText(null), example, enumeration, maxLength,
                schema.get("default"));
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; hops < 10 && current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                break;
            }
            JsonNode target = root;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part.replace("~1", "/").replace("~0", "~"));
            }
            current = target;
        }
        return current;
    }
}
