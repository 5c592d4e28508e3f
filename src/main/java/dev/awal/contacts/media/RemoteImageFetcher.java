package dev.awal.contacts.media;

import dev.awal.contacts.api.TempFile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Downloads an image from a client-supplied URL into a temp file, guarding against SSRF: every
 * host (including each redirect target) is resolved once, all of its addresses are vetted, and the
 * connection goes to the vetted address so a second DNS answer cannot redirect it elsewhere.
 *
 * <p>All work happens asynchronously on one Vert.x context; failures are reported as
 * {@link RemoteFetchException} with a client-facing message, after the temp file is deleted.
 */
public final class RemoteImageFetcher {

    private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
    private static final String REDIRECT_REFUSED = "redirect target refused: ";

    /** Threads of the lookup executor (shared by every fetcher of the Vert.x instance). */
    static final int LOOKUP_THREADS = 4;

    private final Vertx vertx;
    private final FetchSettings settings;
    private final Predicate<InetAddress> isRefused;
    private final HttpClient client;
    /**
     * Address lookups run here, not on the shared worker pool: the JDK's lookup blocks until the resolver answers or
     * gives up (5 s per try and name server by default), longer than a fetch's own deadline, which cannot interrupt it.
     * A client naming hosts whose name servers never answer then ties up these threads only, not the pool that file
     * uploads and other blocking work share. Vert.x's own DNS client would not block, but it does not read /etc/hosts
     * or follow the system's resolver configuration as the JDK does.
     */
    private final io.vertx.core.WorkerExecutor lookups;

    public RemoteImageFetcher(Vertx vertx, FetchSettings settings) {
        this(vertx, settings, settings.allowPrivateAddresses()
                ? AddressPolicy::isNeverFetchable
                : AddressPolicy::isDisallowed);
    }

    /** Tests use this to make some loopback addresses count as public and others as private. */
    RemoteImageFetcher(Vertx vertx, FetchSettings settings, Predicate<InetAddress> isRefused) {
        this.vertx = vertx;
        this.settings = settings;
        this.isRefused = isRefused;
        // No keep-alive: a connection serves one request. followRedirect resets the redirect's request (rather
        // than drain a body of any size), but an empty redirect body may have ended first, returning the
        // connection to the pool; the redirected request to the same host then took that connection as the
        // reset closed it ("closed the connection before the image was complete", intermittently, in
        // AvatarUrlFetchTest). Fetches are rare and go to arbitrary hosts, so pooling them gains nothing.
        this.lookups = vertx.createSharedWorkerExecutor("contacts-avatar-lookups", LOOKUP_THREADS);
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(false)
                .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis())));
    }

    /**
     * Downloads {@code url} into a new file in the temp directory. The caller owns the returned
     * file and must delete it. Fails with {@link RemoteFetchException}; no file is left behind then.
     */
    public Future<Path> fetchToTempFile(String url) {
        Promise<Path> outcome = Promise.promise();
        // Every step of one download runs on this context, so its state needs no locking.
        vertx.getOrCreateContext().runOnContext(ignored -> new Download(outcome).start(url));
        return outcome.future();
    }

    private static OptionalLong declaredLength(HttpClientResponse response) {
        String header = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // the byte count while streaming still enforces the limit
        }
    }

    /** State of one call to {@link #fetchToTempFile}; only touched from its context. */
    private final class Download {

        private final Promise<Path> outcome;
        private long deadlineTimer;
        private boolean settled;
        private FetchTarget currentTarget;
        private HttpClientRequest currentRequest;
        private Future<TempFile> tempFile;
        private long bytesReceived;

        Download(Promise<Path> outcome) {
            this.outcome = outcome;
        }

        void start(String url) {
            deadlineTimer = vertx.setTimer(settings.totalTimeout().toMillis(), ignored -> fail(
                    new RemoteFetchException("timed out after " + FetchFailures.duration(settings.totalTimeout()))));
            try {
                fetch(FetchTarget.parse(url), 0);
            } catch (RemoteFetchException e) {
                fail(e);
            }
        }

        private void fetch(FetchTarget target, int redirectsFollowed) {
            currentTarget = target;
            String refusalPrefix = redirectsFollowed == 0 ? "" : REDIRECT_REFUSED;
            resolve(target.host())
                    .map(addresses -> vettedAddress(addresses, refusalPrefix))
                    .compose(address -> send(target, address))
                    .onSuccess(response -> onResponse(target, response, redirectsFollowed))
                    .onFailure(this::fail);
        }

        private Future<InetAddress[]> resolve(String host) {
            // The JDK lookup blocks; unordered so one slow lookup does not queue the others.
            return lookups.<InetAddress[]>executeBlocking(() -> InetAddress.getAllByName(host), false)
                    .recover(e -> Future.failedFuture(new RemoteFetchException("host not found: " + host, e)));
        }

        private InetAddress vettedAddress(InetAddress[] addresses, String refusalPrefix) {
            // One bad address is enough: the client could have connected to any of them.
            for (InetAddress address : addresses) {
                if (isRefused.test(address)) {
                    throw new RemoteFetchException(refusalPrefix
                            + "host resolves to a private or reserved address (" + address.getHostAddress() + ")");
                }
            }
            return addresses[0];
        }

        private Future<HttpClientResponse> send(FetchTarget target, InetAddress address) {
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    // TLS SNI and certificate checks use the name from the URL ...
                    .setHost(target.host())
                    .setPort(target.port())
                    // ... while the socket goes to the vetted IP, so no second lookup can swap it.
                    .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
                    .setSsl(target.tls())
                    .setURI(target.requestUri())
                    // Set explicitly: Vert.x would write an IPv6 literal without its brackets.
                    .putHeader(HttpHeaders.HOST, target.hostHeader())
                    .setFollowRedirects(false)
                    .putHeader(HttpHeaders.ACCEPT, "image/*");
            return client.request(options).compose(request -> {
                currentRequest = request;
                if (settled) {
                    // The deadline passed while connecting; fail() had nothing to cancel yet.
                    request.reset();
                    return Future.failedFuture("download already settled");
                }
                return request.send();
            });
        }

        private void onResponse(FetchTarget target, HttpClientResponse response, int redirectsFollowed) {
            // Errors after the headers, including the reset of our own aborts, end up here.
            response.exceptionHandler(this::fail);
            int status = response.statusCode();
            if (REDIRECT_STATUSES.contains(status)) {
                followRedirect(target, response, redirectsFollowed);
            } else if (status < 200 || status > 299) {
                fail(new RemoteFetchException("remote server answered HTTP " + status));
            } else {
                receive(response);
            }
        }

        private void followRedirect(FetchTarget from, HttpClientResponse response, int redirectsFollowed) {
            // The redirect body is never read; dropping the connection is cheaper than draining it,
            // and the stream reset that follows is expected rather than a failure.
            response.exceptionHandler(ignored -> { });
            currentRequest.reset();
            if (redirectsFollowed == settings.maxRedirects()) {
                fail(new RemoteFetchException("too many redirects (more than " + settings.maxRedirects() + ")"));
                return;
            }
            String location = response.getHeader(HttpHeaders.LOCATION);
            if (location == null) {
                fail(new RemoteFetchException("remote server answered HTTP " + response.statusCode()
                        + " without a Location header"));
                return;
            }
            FetchTarget next;
            try {
                next = from.redirectTo(location);
            } catch (RemoteFetchException e) {
                fail(new RemoteFetchException(REDIRECT_REFUSED + e.getMessage()));
                return;
            }
            fetch(next, redirectsFollowed + 1);
        }

        private void receive(HttpClientResponse response) {
            if (declaredLength(response).orElse(0) > settings.maxBytes()) {
                fail(tooLarge());
                return;
            }
            response.pause(); // hold the body back until the temp file is open
            tempFile = createTempFile();
            tempFile.onSuccess(target -> streamBody(response, target)).onFailure(this::fail);
        }

        private Future<TempFile> createTempFile() {
            return TempFile.create(vertx, TempFile.newPath(settings.tempDirectory(), "remote-image-"));
        }

        private void streamBody(HttpClientResponse response, TempFile target) {
            if (settled) {
                return; // the deadline passed while the file was being created; fail() cleans it up
            }
            target.onFailure(this::fail);
            response.handler(chunk -> write(response, target, chunk));
            response.endHandler(ignored -> succeed(target));
            response.resume();
        }

        private void write(HttpClientResponse response, TempFile file, Buffer chunk) {
            if (settled) {
                return; // chunks already decoded before the abort took effect
            }
            bytesReceived += chunk.length();
            if (bytesReceived > settings.maxBytes()) {
                fail(tooLarge());
                return;
            }
            // Backpressure: the socket is not read while the disk is behind.
            file.write(chunk, response);
        }

        private RemoteFetchException tooLarge() {
            return new RemoteFetchException("image is larger than " + FetchFailures.size(settings.maxBytes()));
        }

        private void succeed(TempFile target) {
            if (settled) {
                return;
            }
            settled = true;
            vertx.cancelTimer(deadlineTimer);
            target.close()
                    .onSuccess(ignored -> outcome.complete(target.path()))
                    .onFailure(e -> vertx.fileSystem().delete(target.path().toString())
                            .onComplete(ignored -> outcome.fail(describe(e))));
        }

        private void fail(Throwable cause) {
            if (settled) {
                return;
            }
            settled = true;
            vertx.cancelTimer(deadlineTimer);
            if (currentRequest != null) {
                currentRequest.reset(); // also closes the connection, so the server stops sending
            }
            RemoteFetchException error = describe(cause);
            discardTempFile().onComplete(ignored -> outcome.fail(error));
        }

        private Future<Void> discardTempFile() {
            if (tempFile == null) {
                return Future.succeededFuture();
            }
            // Waits for a creation still in flight, so the file is gone before the caller hears of the failure.
            return tempFile.transform(created -> created.failed() ? Future.succeededFuture() : created.result().discard());
        }

        private RemoteFetchException describe(Throwable failure) {
            if (failure instanceof RemoteFetchException known) {
                return known; // also before any target was parsed (currentTarget is still null then)
            }
            return FetchFailures.describe(failure, currentTarget.host() + ":" + currentTarget.port(),
                    settings.connectTimeout());
        }
    }
}
