package dev.awal.contacts.storage;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.http.HttpServerRequest;

/** Turns object keys into the absolute URLs clients receive as {@code avatar} and {@code file_url}. */
@ApplicationScoped
public class PublicUrls {

    private final String publicBase;

    PublicUrls(StorageConfig config) {
        this.publicBase = config.publicBaseUrl().map(PublicUrls::withoutTrailingSlash).orElse(null);
    }

    /** The URL of {@code key} for a client that called {@code request}; null when there is no object. */
    public String of(String key, HttpServerRequest request) {
        if (key == null) {
            return null;
        }
        if (publicBase != null) {
            return publicBase + "/" + key;
        }
        URI called = URI.create(request.absoluteURI());
        return called.getScheme() + "://" + called.getRawAuthority() + MediaRoute.PATH + key;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
