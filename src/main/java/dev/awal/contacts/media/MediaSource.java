package dev.awal.contacts.media;

import java.nio.file.Path;
import java.util.List;

import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.ReceivedBody.UploadedFile;

/** Where a new avatar or branch file comes from; validation errors name {@link #field()}. */
public sealed interface MediaSource {

    String field();

    /** A file the request carried, already on disk. */
    record Received(Path file) implements MediaSource {
        @Override
        public String field() {
            return "file";
        }
    }

    /** An image the service downloads itself. */
    record Remote(String url) implements MediaSource {
        @Override
        public String field() {
            return "avatar";
        }
    }

    /**
     * The one file part named {@code field}, or null. An empty part without a file name is what a browser
     * sends when no file was chosen, so it counts as none; two parts are an error recorded in {@code fields}.
     */
    static Received filePart(List<UploadedFile> files, String field, InputFields fields) {
        List<UploadedFile> parts = files.stream()
                .filter(file -> file.field().equals(field))
                .filter(file -> file.size() > 0 || (file.fileName() != null && !file.fileName().isBlank()))
                .toList();
        if (parts.size() > 1) {
            fields.reject(field, "send at most one file");
            return null;
        }
        return parts.isEmpty() ? null : new Received(parts.get(0).path());
    }

    /** A contact's new avatar: a {@code file} part or an {@code avatar} URL, never both. */
    static MediaSource avatar(List<UploadedFile> files, InputFields fields) {
        Received file = filePart(files, "file", fields);
        String url = fields.text("avatar", 2048);
        if (file != null && url != null) {
            String both = "send either a file or an avatar URL, not both";
            fields.reject("file", both);
            fields.reject("avatar", both);
            return null;
        }
        return file != null ? file : url != null ? new Remote(url) : null;
    }
}
