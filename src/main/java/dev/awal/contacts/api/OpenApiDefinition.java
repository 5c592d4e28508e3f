package dev.awal.contacts.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Document-level OpenAPI facts: the four HMAC headers are one security requirement, all needed together. */
@OpenAPIDefinition(
        info = @Info(title = "Contacts API", version = "v1",
                description = """
                        AwalChat-compatible contact management: contacts, contact groups and branches.

                        Every request under /api/developer is signed: X-Awal-Signature-256 is `sha256=` plus the
                        lowercase hex HMAC-SHA256, keyed with the client's secret, of
                        METHOD + PATH (without /api/developer) + `?`QUERY (if any) + X-Timestamp + raw BODY.
                        X-Timestamp is unix seconds (±300 s), X-Domain the workspace, X-Client-ID the client.
                        Errors always use the envelope {status:false, error, message, details, request_id}."""),
        servers = @Server(url = "/", description = "This service"),
        tags = {
                @Tag(name = "Contacts", description = "Contacts with search, filters, sorting, page and cursor paging"),
                @Tag(name = "Contact groups", description = "Organize contacts into groups"),
                @Tag(name = "Branches", description = "Branches that contacts can be linked to") },
        securitySets = @SecurityRequirementsSet({
                @SecurityRequirement(name = "signature"), @SecurityRequirement(name = "timestamp"),
                @SecurityRequirement(name = "domain"), @SecurityRequirement(name = "clientId") }))
@SecurityScheme(securitySchemeName = "signature", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "X-Awal-Signature-256", description = "sha256=<lowercase hex HMAC-SHA256 of the string to sign>. "
                + "In this service's Swagger UI, enter your client secret here instead: the page signs every request "
                + "with it, and the secret itself is never sent.")
@SecurityScheme(securitySchemeName = "timestamp", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "X-Timestamp", description = "Unix seconds; must be within ±300 s of the server clock. "
                + "Swagger UI fills it in: leave it empty there.")
@SecurityScheme(securitySchemeName = "domain", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "X-Domain", description = "The workspace the request acts in")
@SecurityScheme(securitySchemeName = "clientId", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "X-Client-ID", description = "The client id whose secret signed the request")
public class OpenApiDefinition extends Application {
}
