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

    /**
     * Bytes of request bodies the replica holds in memory at once, each body counted up to max-body-bytes as it
     * arrives (JSON and form bodies; files go to disk): beyond it a new body is refused with 503. The body is read
     * before its signature can be checked, so without this cap a client knowing only a client id could hold the
     * heap with many slow 256 KiB bodies.
     */
    @WithDefault("33554432")
    long maxBufferedBodyBytes();

    /** Largest import file (contacts.imports.max-bytes), raw body or multipart file. */
    @WithName("imports-max-bytes")
    @WithDefault("${contacts.imports.max-bytes:209715200}")
    long maxImportBytes();
}
