package dev.awal.contacts.contact;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Request and response bodies of the batch upsert, for the answer and the OpenAPI document. */
final class BatchForms {

    private BatchForms() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ContactBatchRequest", description = "Up to 100 contacts, each created or updated by its phone")
    record Request(
            @Schema(description = "What to do with an item whose phone already belongs to a contact: update it "
                    + "(fields the item sends), skip it (200, the stored contact), or answer 409 for that item",
                    enumeration = { "update", "skip", "error" }, defaultValue = "update", examples = "update") String onDuplicate,
            @Schema(required = true, minItems = 1, maxItems = 100,
                    description = "Contacts as in a JSON create: name and phone required; avatar not accepted here") List<ContactForms.CreateJson> contacts) {
    }

    @Schema(name = "ContactBatchItemError", description = "Why one item was not written, as in the error envelope")
    record ItemError(
            @Schema(required = true, examples = "validation_failed") String error,
            @Schema(required = true, examples = "The given data was invalid") String message,
            @Schema(nullable = true, type = SchemaType.OBJECT, examples = "{\"phone\": \"must be a valid international number with country code, e.g. +966501234567\"}") Map<String, Object> details) {
    }

    @Schema(name = "ContactBatchItemResult", description = "The outcome of one item, in request order")
    record ItemResult(
            @Schema(required = true, description = "Position of the item in the request, from 0", examples = "0") int index,
            @Schema(required = true, description = "The HTTP status this item alone would have had", examples = "201") int status,
            @Schema(required = true, enumeration = { "created", "updated", "unchanged", "skipped", "failed" }, examples = "created") String result,
            @Schema(nullable = true, description = "The stored contact; null when the item failed") ContactView data,
            @Schema(nullable = true, description = "Null unless the item failed") ItemError error) {
    }

    @Schema(name = "ContactBatchResult")
    record Result(
            @Schema(required = true, description = "One entry per item, in request order") List<ItemResult> results,
            @Schema(required = true, description = "How many items ended in each result",
                    examples = "{\"created\": 98, \"updated\": 1, \"unchanged\": 0, \"skipped\": 0, \"failed\": 1}") Map<String, Integer> counts) {
    }
}
