package dev.awal.contacts.api;

import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The two file downloads (the export, an import's error report) answer their file whatever `Accept` says. Their
 * Content-Type is set by the resource (`format` decides CSV or NDJSON), and their documented responses list JSON
 * beside the file's type for the errors, so generated clients ask for a type the download does not declare:
 * OpenAPI Generator's okhttp client sends `Accept: application/json`, its Python client `application/x-ndjson`.
 * Matching would refuse those as not acceptable, so before matching the header is widened to any type.
 */
public class DownloadAccept {

    private static final Pattern DOWNLOADS = Pattern.compile("/api/developer/contacts/(export|imports/[^/]+/errors)/?");

    @ServerRequestFilter(preMatching = true)
    public void acceptAnyTypeForDownloads(ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod()) || !request.getHeaders().containsKey("Accept")) {
            return;
        }
        String path = request.getUriInfo().getPath();
        // Cheap test first: this runs before every request's matching.
        if ((path.endsWith("export") || path.endsWith("errors") || path.endsWith("/")) && DOWNLOADS.matcher(path).matches()) {
            request.getHeaders().putSingle("Accept", "*/*");
        }
    }
}
