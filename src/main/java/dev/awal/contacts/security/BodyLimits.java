package dev.awal.contacts.security;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** How much of a request body is read before answering 413. */
@ConfigMapping(prefix = "contacts.limits")
public interface BodyLimits {

    /** Largest non-file body (JSON, form fields). */
    @WithDefault("262144")
    long maxBodyBytes();

    /** Largest avatar image. */
    @WithDefault("5242880")
    long maxAvatarBytes();

    /** Largest branch file (JPG, PNG or PDF). */
    @WithDefault("10485760")
    long maxBranchFileBytes();

    /** Where uploads wait, on disk rather than in memory, while the request is processed. */
    @WithDefault("${java.io.tmpdir}/contacts-uploads")
    Path uploadDirectory();

    /** Largest import file (contacts.imports.max-bytes), raw body or multipart file. */
    @WithName("imports-max-bytes")
    @WithDefault("${contacts.imports.max-bytes:209715200}")
    long maxImportBytes();
}
