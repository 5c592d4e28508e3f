package dev.awal.contacts.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.ExternalDocumentation;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Contact;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Document-level OpenAPI facts: the four HMAC headers are one security requirement, all needed
 * together. X-Domain lives only here (resources take it from {@code security.Caller}), so generated
 * clients set it once with the other credentials instead of as an argument of every method.
 */
@OpenAPIDefinition(
        info = @Info(title = "Contacts API", version = "v1",
                contact = @Contact(name = "AwalChat technical support", email = "support@awalchat.com"),
                license = @License(name = "Proprietary", identifier = "LicenseRef-Proprietary"),
                description = """
                        AwalChat-compatible contact management: contacts, contact groups and branches.

                        Every request under `/api/developer` is signed with four headers (see the security schemes):
                        `X-Awal-Signature-256` is `sha256=` followed by the lowercase hex HMAC-SHA256, keyed with the
                        client's secret, of `METHOD + PATH + QUERY + TIMESTAMP + BODY` with no separators: PATH
                        without `/api/developer`, QUERY `?` plus the raw query string (empty if none), TIMESTAMP the
                        `X-Timestamp` value, BODY the raw body bytes exactly as sent. `X-Timestamp` is unix seconds
                        (within 300 s of the server clock), `X-Domain` the workspace, `X-Client-ID` the client.

                        Every response body is JSON, sent as `application/json;charset=UTF-8`, and every response carries
                        `X-Request-ID` and `X-API-Version`.
                        Errors always use the envelope `{status: false, error, message, details, request_id}`; the
                        `error` codes are listed in the `Error` schema."""),
        servers = {
                @Server(url = "http://localhost:8080", description = "Local development (./mvnw quarkus:dev)"),
                @Server(url = "/", description = "The host serving this document") },
        externalDocs = @ExternalDocumentation(description = "AwalChat developer documentation",
                url = "https://awalchat.com"),
        tags = {
                @Tag(name = "Contacts", description = "Contacts with search, filters, sorting, page and cursor paging"),
                @Tag(name = "Contact groups", description = "Organize contacts into groups"),
                @Tag(name = "Branches", description = "Branches that contacts can be linked to") },
        securitySets = @SecurityRequirementsSet({
                @SecurityRequirement(name = "signature"), @SecurityRequirement(name = "timestamp"),
                @SecurityRequirement(name = "domain"), @SecurityRequirement(name = "clientId") }))
@SecurityScheme(securitySchemeName = "signature", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "X-Awal-Signature-256", description = "`sha256=` followed by the lowercase hex "
                + "HMAC-SHA256 of the string to sign, keyed with the client secret. In this service's Swagger UI, "
                + "enter the client secret itself here: the page signs every request with it and never sends it.")
@SecurityScheme(securitySchemeName = "timestamp", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "X-Timestamp", description = "Unix seconds; must be within 300 s of the server clock. "
                + "Swagger UI fills it in: leave it empty there.")
@SecurityScheme(securitySchemeName = "domain", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "X-Domain", description = "The workspace the request acts in; the client must be allowed in it")
@SecurityScheme(securitySchemeName = "clientId", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "X-Client-ID", description = "The client id whose secret signed the request")
public class OpenApiDefinition extends Application {
}
