package dev.awal.contacts.media;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A vetted-for-syntax http(s) URL, split into the parts the HTTP client needs. */
record FetchTarget(URI uri, String host, int port, boolean tls, String requestUri) {

    private static final int MAX_PORT = 65_535;

    static FetchTarget parse(String url) {
        if (url == null || url.isBlank()) {
            throw new RemoteFetchException("malformed URL");
        }
        try {
            return of(new URI(url.trim()));
        } catch (URISyntaxException e) {
            throw new RemoteFetchException("malformed URL");
        }
    }

    static FetchTarget of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RemoteFetchException("only http and https URLs are allowed");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RemoteFetchException("URLs with user credentials are not allowed");
        }
        if (uri.getHost() == null) {
            throw new RemoteFetchException("malformed URL: missing or invalid host");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        if (port < 1 || port > MAX_PORT) {
            throw new RemoteFetchException("malformed URL: invalid port");
        }
        return new FetchTarget(uri, withoutBrackets(uri.getHost()), port, tls, requestUri(uri));
    }

    /** Location headers may be relative; they are resolved against the URL that answered. */
    FetchTarget redirectTo(String location) {
        try {
            return of(uri.resolve(location));
        } catch (IllegalArgumentException e) {
            throw new RemoteFetchException("malformed URL");
        }
    }

    /** The Host header as the URL spells it: IPv6 literals bracketed, default ports left out. */
    String hostHeader() {
        return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** URI keeps IPv6 literals bracketed; resolvers and the HTTP client want the bare address. */
    private static String withoutBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String requestUri(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
