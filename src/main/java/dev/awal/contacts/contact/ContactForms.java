package dev.awal.contacts.contact;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The documented shapes of contact request bodies. Input is read field by field by
 * {@link ContactInput} (partial updates must tell absent from null), so these records exist to
 * describe each content type in the OpenAPI document.
 */
final class ContactForms {

    private ContactForms() {
    }

    static final String CUSTOM_ATTRIBUTES = "Custom attribute values by key, each validated against the workspace's definition "
            + "(a 422 names custom_attributes.<key>; an undefined key is a 422). Forms send custom_attributes[key]=value; an empty "
            + "value removes the key; a bare custom_attributes field may carry the object as JSON text (as Swagger UI sends it).";

    @Schema(name = "ContactCreate", description = "JSON body to create a contact")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateJson(
            @Schema(required = true, maxLength = 255, examples = "أحمد") String name,
            @Schema(maxLength = 255, nullable = true, examples = "أحمد بن علي") String fullName,
            @Schema(required = true, description = "International format, country code first; formatting allowed", examples = "+966 50 123 4567") String phone,
            @Schema(maxLength = 254, nullable = true, examples = "ahmed@example.com") String email,
            @Schema(nullable = true, examples = "3") Long branchId,
            @Schema(nullable = true, examples = "7") Long contactGroupId,
            @Schema(maxLength = 2000, nullable = true) String description,
            @Schema(maxLength = 500, nullable = true) String address,
            // No default in the document: generated clients would send it on every upsert, un-favouriting contacts.
            @Schema(description = "false when left out on create; left out on an upsert's update, unchanged") Boolean isFavorite,
            @Schema(nullable = true, format = "uri", maxLength = 2048, description = "URL of a JPEG or PNG (at most 5 MB) the service downloads and stores",
                    examples = "https://example.com/photos/ahmed.jpg") String avatar,
            @Schema(type = SchemaType.OBJECT, additionalProperties = Schema.True.class, description = CUSTOM_ATTRIBUTES,
                    examples = "{}") Map<String, Object> customAttributes) {
    }

    @Schema(name = "ContactUpdate", description = "JSON body to update a contact; only the fields sent change")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateJson(
            @Schema(maxLength = 255) String name,
            @Schema(maxLength = 255, nullable = true) String fullName,
            String phone,
            @Schema(maxLength = 254, nullable = true) String email,
            @Schema(nullable = true, description = "null unlinks") Long branchId,
            @Schema(nullable = true, description = "null unlinks") Long contactGroupId,
            @Schema(maxLength = 2000, nullable = true) String description,
            @Schema(maxLength = 500, nullable = true) String address,
            Boolean isFavorite,
            @Schema(nullable = true, format = "uri", maxLength = 2048, description = "URL of a new avatar image to download") String avatar,
            @Schema(type = SchemaType.OBJECT, additionalProperties = Schema.True.class, description = CUSTOM_ATTRIBUTES
                    + " Merged key by key: keys not sent keep their value; null removes a key.", examples = "{}") Map<String, Object> customAttributes) {
    }

    @Schema(name = "ContactCreateForm", description = "Form fields to create a contact (urlencoded or multipart)")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateForm(
            @Schema(required = true, maxLength = 255) String name,
            @Schema(maxLength = 255) String fullName,
            @Schema(required = true, examples = "+966 50 123 4567") String phone,
            @Schema(maxLength = 254) String email,
            @Schema(pattern = "^\\d*$", description = "Branch id as digits") String branchId,
            @Schema(pattern = "^\\d*$", description = "Contact group id as digits") String contactGroupId,
            @Schema(maxLength = 2000) String description,
            @Schema(maxLength = 500) String address,
            @Schema(enumeration = { "true", "false", "1", "0" }) String isFavorite,
            @Schema(format = "uri", maxLength = 2048, description = "URL of an avatar image to download") String avatar) {
    }

    @Schema(name = "ContactUpdateForm", description = "Form fields to update a contact; an empty branch_id or contact_group_id unlinks")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateForm(
            @Schema(maxLength = 255) String name,
            @Schema(maxLength = 255) String fullName,
            String phone,
            @Schema(maxLength = 254) String email,
            @Schema(pattern = "^\\d*$") String branchId,
            @Schema(pattern = "^\\d*$") String contactGroupId,
            @Schema(maxLength = 2000) String description,
            @Schema(maxLength = 500) String address,
            @Schema(enumeration = { "true", "false", "1", "0" }) String isFavorite,
            @Schema(format = "uri", maxLength = 2048, description = "URL of a new avatar image to download") String avatar) {
    }

    @Schema(name = "AvatarFile", description = "The avatar as a file part; not together with avatar")
    record AvatarFile(
            @Schema(type = SchemaType.STRING, format = "binary",
                    description = "JPEG or PNG, at most 5 MB and 40 megapixels; the type is read from the bytes") String file) {
    }

    @Schema(name = "ContactCreateMultipart", description = "Multipart fields to create a contact, with an optional avatar file",
            allOf = { CreateForm.class, AvatarFile.class })
    static final class CreateMultipart {
    }

    @Schema(name = "ContactUpdateMultipart", description = "Multipart fields to update a contact; a file replaces the avatar",
            allOf = { UpdateForm.class, AvatarFile.class })
    static final class UpdateMultipart {
    }
}
