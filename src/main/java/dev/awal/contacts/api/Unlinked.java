package dev.awal.contacts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Result of deleting a group or branch: how many contacts were kept and unlinked. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Unlinked")
public record Unlinked(@Schema(required = true, examples = "12") int unlinkedContacts) {
}
