package dev.awal.contacts.api;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Lists the values of the envelope's {@code error} field in the OpenAPI document from {@link ErrorCode},
 * so a new code cannot be missing from the document (an annotation can only hold a copied list).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ErrorCodeSchema implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Schema envelope = openAPI.getComponents().getSchemas().get("Error");
        Schema error = envelope == null || envelope.getProperties() == null ? null : envelope.getProperties().get("error");
        if (error != null) {
            List<Object> codes = new ArrayList<>();
            for (ErrorCode code : ErrorCode.values()) {
                codes.add(code.code());
            }
            error.setEnumeration(codes);
        }
    }
}
