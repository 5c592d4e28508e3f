package dev.awal.contacts.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves {@code /q/openapi} (and {@code .json}, {@code .yaml}, {@code .yml}) from the document the build stored in
 * the package, read on the first request (off the event loop) and kept, instead of from SmallRye's runtime copy.
 *
 * <p>Why: Quarkus 3.34.1 builds its runtime copy eagerly at start (quarkus#54826): it parses the stored document
 * (930 KB of JSON, read as YAML through snakeyaml) and writes it back as JSON and YAML, which was the largest step of
 * this service's start (about a third of the main thread, bench/results/startup-openapi-lazy.md). No setting
 * turns that off: {@code quarkus.smallrye-openapi.enabled=false} only swaps the route. So {@link #keepSmallRyeFromParsingAtStart()},
 * called by the packaged application's main, gives SmallRye's document service a class loader that does not
 * show it the stored JSON ({@link OpenApiConstants#classLoader}, the class loader it reads the document with), and
 * it keeps an empty document that nobody is routed to. Upstream builds the document on first request since
 * quarkus#55538; after an upgrade past it, delete this class and its call in {@code ContactsApplication}.
 *
 * <p>What is served is the build's own output, byte for byte: the stored JSON and YAML are what
 * {@code quarkus.smallrye-openapi.store-schema-directory} writes to {@code target/openapi} (which CI lints), and the
 * same document SmallRye served, which only differed in the order of some keys after its parse and re-serialisation
 * (StoredOpenApiDocumentTest compares both). The format is chosen as SmallRye's handler chooses it: the path's
 * suffix, else JSON when {@code Accept} contains {@code application/json} or {@code ?format=json}, else YAML.
 */
@ApplicationScoped
public class StoredOpenApiDocument {

    public static final String PATH = "/q/openapi";
    /** The names under which the build stores the default document (SmallRye reads only the JSON). */
    static final String STORED_JSON = OpenApiConstants.BASE_NAME + ".JSON";
    static final String STORED_YAML = OpenApiConstants.BASE_NAME + ".YAML";
    /** After the service's own handlers (RouteOrder), before SmallRye's route for the same paths. */
    private static final int ORDER = -50;
    private static final String JSON_TYPE = "application/json;charset=UTF-8";
    private static final String YAML_TYPE = "application/yaml;charset=UTF-8";

    private record Document(Buffer json, Buffer yaml) {
    }

    private volatile Document document;

    /** Keeps SmallRye 3.34.1 from parsing the stored document at start; see the class comment. */
    public static void keepSmallRyeFromParsingAtStart() {
        OpenApiConstants.classLoader = new WithoutStoredJson(Thread.currentThread().getContextClassLoader());
    }

    void register(@Observes Router router) {
        for (String path : List.of(PATH, PATH + ".json", PATH + ".yaml", PATH + ".yml")) {
            router.route(path).order(ORDER).handler(this::serve);
        }
    }

    void serve(RoutingContext rc) {
        if (rc.request().method() == HttpMethod.OPTIONS) {
            rc.response().headers().set(HttpHeaders.ALLOW, "GET, HEAD, OPTIONS");
            rc.next();
            return;
        }
        boolean json = wantsJson(rc);
        Document loaded = document;
        if (loaded != null) {
            send(rc, loaded, json);
            return;
        }
        rc.vertx().executeBlocking(this::load, false).onComplete(result -> {
            if (result.succeeded()) {
                send(rc, result.result(), json);
            } else {
                rc.fail(result.cause());
            }
        });
    }

    static boolean wantsJson(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path.endsWith(".json")) {
            return true;
        }
        if (path.endsWith(".yaml") || path.endsWith(".yml")) {
            return false;
        }
        String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
        List<String> format = rc.queryParam("format");
        return accept != null && accept.contains("application/json")
                || !format.isEmpty() && "JSON".equalsIgnoreCase(format.get(0));
    }

    private static void send(RoutingContext rc, Document document, boolean json) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, json ? JSON_TYPE : YAML_TYPE)
                .end(json ? document.json() : document.yaml());
    }

    private synchronized Document load() {
        if (document == null) {
            document = new Document(read(STORED_JSON), read(STORED_YAML));
        }
        return document;
    }

    private static Buffer read(String resource) {
        try (InputStream in = StoredOpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The package has no " + resource + " (built without smallrye-openapi?)");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Delegates everything to its parent but does not show the stored JSON document. */
    static final class WithoutStoredJson extends ClassLoader {

        WithoutStoredJson(ClassLoader parent) {
            super(parent);
        }

        @Override
        public URL getResource(String name) {
            return STORED_JSON.equals(name) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return STORED_JSON.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
