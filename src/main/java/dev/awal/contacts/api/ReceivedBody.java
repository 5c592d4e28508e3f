package dev.awal.contacts.api;

import java.nio.file.Path;
import java.util.List;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The request body as read (and signature-checked) before routing: raw bytes for JSON, form
 * fields for urlencoded and multipart, and files streamed to temporary storage.
 */
public record ReceivedBody(String contentType, Buffer raw, MultiMap form, List<UploadedFile> files) {

    static final String KEY = "contacts.request-body";

    /** A file part, already on disk; deleted when the request ends. */
    public record UploadedFile(String field, String fileName, Path path, long size) {
    }

    public static ReceivedBody of(RoutingContext rc) {
        return rc.get(KEY);
    }

    public void attachTo(RoutingContext rc) {
        rc.put(KEY, this);
    }

    public boolean isForm() {
        return form != null;
    }

    public boolean isEmpty() {
        return (raw == null || raw.length() == 0) && (form == null || form.isEmpty()) && files.isEmpty();
    }
}
