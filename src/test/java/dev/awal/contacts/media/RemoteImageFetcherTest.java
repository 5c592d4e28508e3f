package dev.awal.contacts.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exercises the fetcher against Vert.x servers bound to loopback addresses only. */
class RemoteImageFetcherTest {

    private static final int MB = 1024 * 1024;
    private static final byte[] IMAGE = randomBytes(200 * 1024);
    private static final Duration GENEROUS_TIMEOUT = Duration.ofSeconds(10);

    private static Vertx vertx;
    private static HttpServer mainServer;
    private static HttpServer secondServer;
    private static HttpServer ipv6Server;
    private static final AtomicInteger mainServerConnections = new AtomicInteger();
    private static final AtomicInteger secondServerConnections = new AtomicInteger();
    private static final Map<String, String> hostHeaderByPath = new ConcurrentHashMap<>();

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startServers() throws Exception {
        vertx = Vertx.vertx();
        mainServer = startServer("127.0.0.1", mainServerConnections, RemoteImageFetcherTest::route);
        // A second loopback address lets a test hook play the part of a private host.
        secondServer = startServer("127.0.0.2", secondServerConnections, RemoteImageFetcherTest::route);
        ipv6Server = startServer("::1", new AtomicInteger(), RemoteImageFetcherTest::route);
    }

    @AfterAll
    static void stopVertx() throws Exception {
        await(vertx.close());
    }

    @BeforeEach
    void resetCounters() {
        mainServerConnections.set(0);
        secondServerConnections.set(0);
        hostHeaderByPath.clear();
    }

    // --- successful downloads -------------------------------------------------------------

    @Test
    void downloadsLoopbackImageIntactWhenPrivateAddressesAreAllowed() throws Exception {
        Path file = await(fetcher(true).fetchToTempFile(mainUrl("/image")));

        assertEquals(tempDir, file.getParent());
        assertArrayEquals(IMAGE, Files.readAllBytes(file));
        assertEquals("127.0.0.1:" + mainServer.actualPort(), hostHeaderByPath.get("/image"));
    }

    @Test
    void acceptsBodyOfExactlyTheLimitStreamedInChunks() throws Exception {
        Path file = await(fetcher(true).fetchToTempFile(mainUrl("/exactly-5mb-chunked")));

        assertEquals(5L * MB, Files.size(file));
    }

    @Test
    void followsTwoRedirectsWithAbsoluteAndRelativeLocations() throws Exception {
        // /via-localhost -> http://localhost:port/hops/1 (absolute, by name) -> /hops/0 (relative)
        Path file = await(fetcher(true).fetchToTempFile(mainUrl("/via-localhost")));

        assertArrayEquals(IMAGE, Files.readAllBytes(file));
        // Connected to the vetted IP, yet the Host header keeps the name from the redirect.
        assertEquals("localhost:" + mainServer.actualPort(), hostHeaderByPath.get("/hops/1"));
    }

    @Test
    void followsExactlyTheMaximumNumberOfRedirects() throws Exception {
        Path file = await(fetcher(true).fetchToTempFile(mainUrl("/hops/3")));

        assertArrayEquals(IMAGE, Files.readAllBytes(file));
    }

    @Test
    void downloadsFromBracketedIpv6Literal() throws Exception {
        String url = "http://[::1]:" + ipv6Server.actualPort() + "/image";

        Path file = await(fetcher(true).fetchToTempFile(url));

        assertArrayEquals(IMAGE, Files.readAllBytes(file));
        assertEquals("[::1]:" + ipv6Server.actualPort(), hostHeaderByPath.get("/image"));
    }

    // --- address guard ----------------------------------------------------------------------

    @Test
    void refusesLoopbackIpByDefaultWithoutConnecting() throws Exception {
        assertFails(fetcher(false), mainUrl("/image"),
                "host resolves to a private or reserved address (127.0.0.1)");
        assertEquals(0, mainServerConnections.get());
    }

    @Test
    void refusesHostNameThatResolvesToLoopback() throws Exception {
        String url = "http://localhost:" + mainServer.actualPort() + "/image";

        RemoteFetchException failure = awaitFailure(fetcher(false).fetchToTempFile(url));

        assertTrue(failure.getMessage().startsWith("host resolves to a private or reserved address ("),
                failure.getMessage());
        assertEquals(0, mainServerConnections.get());
        assertNoFilesLeft();
    }

    @Test
    void refusesIpv6LoopbackByDefault() throws Exception {
        String url = "http://[::1]:" + ipv6Server.actualPort() + "/image";

        assertFails(fetcher(false), url, "host resolves to a private or reserved address (0:0:0:0:0:0:0:1)");
    }

    @Test
    void refusesUnspecifiedAddressEvenWhenPrivateAddressesAreAllowed() throws Exception {
        assertFails(fetcher(true), "http://0.0.0.0:" + mainServer.actualPort() + "/image",
                "host resolves to a private or reserved address (0.0.0.0)");
        assertEquals(0, mainServerConnections.get());
    }

    @Test
    void vetsRedirectTargetBeforeConnectingToIt() throws Exception {
        RemoteImageFetcher fetcher = fetcherTreatingAsPrivate(address -> address.getHostAddress().equals("127.0.0.2"));

        assertFails(fetcher, mainUrl("/redirect-to-second-server"),
                "redirect target refused: host resolves to a private or reserved address (127.0.0.2)");
        assertTrue(mainServerConnections.get() > 0, "first hop should have been fetched");
        assertEquals(0, secondServerConnections.get(), "refused target must never see a connection");
    }

    @Test
    void reachesSecondServerWhenItsAddressIsAllowed() throws Exception {
        // Control for the test above: the second server is reachable, so zero connections there means something.
        RemoteImageFetcher fetcher = fetcherTreatingAsPrivate(address -> false);

        Path file = await(fetcher.fetchToTempFile(mainUrl("/redirect-to-second-server")));

        assertArrayEquals(IMAGE, Files.readAllBytes(file));
        assertTrue(secondServerConnections.get() > 0);
    }

    @Test
    void refusesRedirectToNonHttpScheme() throws Exception {
        assertFails(fetcher(true), mainUrl("/redirect-to-file"),
                "redirect target refused: only http and https URLs are allowed");
    }

    @Test
    void refusesFourthRedirect() throws Exception {
        assertFails(fetcher(true), mainUrl("/hops/4"), "too many redirects (more than 3)");
    }

    @Test
    void reportsRedirectWithoutLocation() throws Exception {
        assertFails(fetcher(true), mainUrl("/redirect-without-location"),
                "remote server answered HTTP 302 without a Location header");
    }

    // --- URL validation ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/image.png", "file:///etc/passwd", "javascript:alert(1)",
        "//127.0.0.1/image.png", "gopher://127.0.0.1:70/"})
    void refusesNonHttpSchemes(String url) throws Exception {
        assertFails(fetcher(true), url, "only http and https URLs are allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://exa mple.com/", "http://", "http://[::1/", "%%"})
    void refusesMalformedUrls(String url) throws Exception {
        assertFails(fetcher(true), url, "malformed URL");
    }

    @Test
    void refusesUrlWithoutHost() throws Exception {
        assertFails(fetcher(true), "http://:8080/image", "malformed URL: missing or invalid host");
    }

    @Test
    void refusesOutOfRangePort() throws Exception {
        assertFails(fetcher(true), "http://127.0.0.1:70000/image", "malformed URL: invalid port");
    }

    @Test
    void refusesUrlWithCredentialsWithoutConnecting() throws Exception {
        String url = "http://user:secret@127.0.0.1:" + mainServer.actualPort() + "/image";

        assertFails(fetcher(true), url, "URLs with user credentials are not allowed");
        assertEquals(0, mainServerConnections.get());
    }

    // --- remote failures --------------------------------------------------------------------

    @Test
    void reportsHttpErrorStatus() throws Exception {
        assertFails(fetcher(true), mainUrl("/missing"), "remote server answered HTTP 404");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/6mb-with-length", "/6mb-chunked"})
    void refusesOversizedBody(String path) throws Exception {
        assertFails(fetcher(true), mainUrl(path), "image is larger than 5 MB");
    }

    @Test
    void refusesOnDeclaredLengthWithoutWaitingForTheBody() throws Exception {
        // The body never completes, so only a check of Content-Length can beat the deadline.
        assertFails(fetcher(true), mainUrl("/declares-6mb-then-stalls"), "image is larger than 5 MB");
    }

    @Test
    void abortsAsSoonAsStreamedBytesExceedTheLimit() throws Exception {
        // No Content-Length and the body never ends: only counting while streaming catches this.
        assertFails(fetcher(true), mainUrl("/streams-past-limit-then-stalls"), "image is larger than 5 MB");
    }

    @Test
    void timesOutWhenServerStallsAfterHeaders() throws Exception {
        RemoteImageFetcher fetcher = new RemoteImageFetcher(vertx, settings(true, Duration.ofSeconds(1)));

        assertFails(fetcher, mainUrl("/stalls-after-headers"), "timed out after 1 s");
    }

    /**
     * Address lookups block (the JDK's resolver); on the shared worker pool, lookups stuck on name servers that never
     * answer starved uploads and every other blocking task. They have threads of their own: with every worker thread
     * busy, a fetch still resolves and downloads.
     */
    @Test
    void aBusyWorkerPoolDoesNotHoldAddressLookupsBack() throws Exception {
        int workers = 20;
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(workers);
        for (int i = 0; i < workers; i++) { // Vert.x's default worker pool size
            vertx.executeBlocking(() -> {
                busy.countDown();
                return release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            }, false);
        }
        try {
            assertTrue(busy.await(10, java.util.concurrent.TimeUnit.SECONDS), "every worker thread is busy");
            // The server's answer (404) proves the address was looked up and connected to; a lookup queued behind the
            // busy pool ends in the fetch's timeout instead. (A 404 writes no temporary file: the download's file work
            // is not what this test is about.)
            RemoteImageFetcher fetcher = new RemoteImageFetcher(vertx, settings(true, Duration.ofSeconds(5)));
            assertEquals("remote server answered HTTP 404", awaitFailure(fetcher.fetchToTempFile(mainUrl("/missing"))).getMessage());
        } finally {
            release.countDown();
        }
    }

    @Test
    void reportsRefusedConnection() throws Exception {
        HttpServer closed = startServer("127.0.0.1", new AtomicInteger(), RemoteImageFetcherTest::route);
        int port = closed.actualPort();
        await(closed.close());

        assertFails(fetcher(true), "http://127.0.0.1:" + port + "/image",
                "could not connect: 127.0.0.1:" + port + " refused the connection");
    }

    @Test
    void reportsFailedTlsHandshake() throws Exception {
        String url = "https://127.0.0.1:" + mainServer.actualPort() + "/image";

        assertFails(fetcher(true), url, "could not connect: TLS handshake with 127.0.0.1:"
                + mainServer.actualPort() + " failed");
    }

    // --- helpers ----------------------------------------------------------------------------

    private RemoteImageFetcher fetcher(boolean allowPrivateAddresses) {
        return new RemoteImageFetcher(vertx, settings(allowPrivateAddresses, GENEROUS_TIMEOUT));
    }

    private RemoteImageFetcher fetcherTreatingAsPrivate(Predicate<InetAddress> isPrivate) {
        return new RemoteImageFetcher(vertx, settings(false, GENEROUS_TIMEOUT), isPrivate);
    }

    private FetchSettings settings(boolean allowPrivateAddresses, Duration totalTimeout) {
        return new FetchSettings(allowPrivateAddresses, Duration.ofSeconds(2), totalTimeout,
                5L * MB, 3, tempDir);
    }

    private void assertFails(RemoteImageFetcher fetcher, String url, String expectedMessage) throws Exception {
        RemoteFetchException failure = awaitFailure(fetcher.fetchToTempFile(url));
        assertEquals(expectedMessage, failure.getMessage());
        assertNoFilesLeft();
    }

    private void assertNoFilesLeft() throws Exception {
        try (Stream<Path> files = Files.list(tempDir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    private static RemoteFetchException awaitFailure(Future<Path> download) {
        ExecutionException failure = assertThrows(ExecutionException.class, () -> await(download));
        return assertInstanceOf(RemoteFetchException.class, failure.getCause());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static String mainUrl(String path) {
        return "http://127.0.0.1:" + mainServer.actualPort() + path;
    }

    private static HttpServer startServer(String host, AtomicInteger connections,
            io.vertx.core.Handler<HttpServerRequest> handler) throws Exception {
        HttpServer server = vertx.createHttpServer()
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(handler);
        return await(server.listen(0, host));
    }

    private static void route(HttpServerRequest request) {
        hostHeaderByPath.put(request.path(), request.getHeader("Host"));
        HttpServerResponse response = request.response();
        String path = request.path();
        if (path.startsWith("/hops/")) {
            int remaining = Integer.parseInt(path.substring("/hops/".length()));
            if (remaining == 0) {
                response.end(Buffer.buffer(IMAGE));
            } else {
                redirect(response, "/hops/" + (remaining - 1));
            }
            return;
        }
        switch (path) {
            case "/image" -> response.end(Buffer.buffer(IMAGE));
            case "/via-localhost" -> redirect(response, "http://localhost:" + mainServer.actualPort() + "/hops/1");
            case "/redirect-to-second-server" ->
                redirect(response, "http://127.0.0.2:" + secondServer.actualPort() + "/image");
            case "/redirect-to-file" -> redirect(response, "file:///etc/passwd");
            case "/redirect-without-location" -> response.setStatusCode(302).end();
            case "/missing" -> response.setStatusCode(404).end("not here");
            case "/exactly-5mb-chunked" -> writeChunked(response, 5 * MB, true);
            case "/6mb-chunked" -> writeChunked(response, 6 * MB, true);
            case "/6mb-with-length" -> response.end(Buffer.buffer(new byte[6 * MB]));
            case "/declares-6mb-then-stalls" -> response.putHeader("Content-Length", String.valueOf(6 * MB))
                    .write(Buffer.buffer(new byte[1024]));
            case "/streams-past-limit-then-stalls" -> writeChunked(response, 5 * MB + 1, false);
            case "/stalls-after-headers" -> response.setChunked(true).write("partial");
            default -> response.setStatusCode(500).end();
        }
    }

    private static void redirect(HttpServerResponse response, String location) {
        response.setStatusCode(302).putHeader("Location", location).end();
    }

    private static void writeChunked(HttpServerResponse response, int size, boolean end) {
        response.setChunked(true);
        int chunkSize = 64 * 1024;
        for (int written = 0; written < size; written += chunkSize) {
            response.write(Buffer.buffer(new byte[Math.min(chunkSize, size - written)]));
        }
        if (end) {
            response.end();
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
