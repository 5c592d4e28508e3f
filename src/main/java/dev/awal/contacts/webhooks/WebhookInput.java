package dev.awal.contacts.webhooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.InputFields;

/**
 * The fields of a webhook creation or edit, validated; errors name the field (422). In an edit a field left
 * out stays as it is ({@code null} here; {@code hasDescription} tells a description cleared with null from one
 * left out).
 */
record WebhookInput(String url, List<String> events, boolean hasDescription, String description, String status) {

    private static final Pattern TYPE_FILTER = Pattern.compile("[a-z_*]+(\\.[a-z_*]+)*");

    /** {@code urlProblem} answers why a URL cannot be an endpoint, or null. */
    static WebhookInput parse(JsonNode body, boolean creation, UnaryOperator<String> urlProblem) {
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode url = body.get("url");
        String urlText = null;
        if (url != null || creation) {
            urlText = url != null && url.isTextual() ? url.asText().strip() : null;
            if (urlText == null || urlText.isEmpty() || urlText.length() > 2048) {
                errors.put("url", (creation ? "is required: " : "must be ") + "an https URL of at most 2048 characters");
            } else if (!InputFields.storable(urlText)) {
                errors.put("url", InputFields.UNSTORABLE);
            } else {
                String problem = urlProblem.apply(urlText);
                if (problem != null) {
                    errors.put("url", problem);
                }
            }
        }
        List<String> events = null;
        JsonNode filters = body.get("events");
        if (filters == null && creation || filters != null && filters.isNull() && creation) {
            events = List.of("*");
        } else if (filters != null && !filters.isNull()) {
            // null on an update leaves the filters as they are (a generated client may send null for "not set").
            if (!filters.isArray() || filters.isEmpty() || filters.size() > 20) {
                errors.put("events", "must be a list of 1 to 20 event type filters such as contact.*");
            } else {
                events = new ArrayList<>();
                for (JsonNode filter : filters) {
                    if (!filter.isTextual() || filter.asText().length() > 64 || !TYPE_FILTER.matcher(filter.asText()).matches()) {
                        errors.put("events", "must be event types such as contact.created, with * as a wildcard");
                        break;
                    }
                    events.add(filter.asText());
                }
            }
        }
        JsonNode description = body.get("description");
        String descriptionText = null;
        if (description != null && !description.isNull()) {
            if (!description.isTextual() || description.asText().length() > 500) {
                errors.put("description", "must be text of at most 500 characters");
            } else if (!InputFields.storable(description.asText())) {
                // NUL or a lone surrogate (an escaped \ud800): PostgreSQL cannot store it as it was sent.
                errors.put("description", InputFields.UNSTORABLE);
            } else {
                descriptionText = description.asText();
            }
        }
        String status = null;
        JsonNode statusNode = body.get("status");
        if (statusNode != null && !creation) {
            if (!statusNode.isTextual() || !List.of("active", "disabled").contains(statusNode.asText())) {
                errors.put("status", "must be active (verifies the endpoint again) or disabled");
            } else {
                status = statusNode.asText();
            }
        }
        if (!creation && errors.isEmpty() && url == null && filters == null && description == null && statusNode == null) {
            errors.put("body", "must set at least one of url, events, description, status");
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new WebhookInput(urlText, events, description != null, descriptionText, status);
    }
}
