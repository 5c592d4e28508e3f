package dev.awal.contacts.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.media.AddressPolicy;
import io.netty.util.NetUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * POSTs to webhook URLs through the avatar fetcher's address policy: the host is resolved, every address
 * vetted (loopback, private and reserved ones refused unless allowed), and the request goes to the vetted
 * address, so a name that turns private later is refused at that delivery. Answers are read to at most 4 KB.
 */
@ApplicationScoped
public class WebhookSender {

    static final int MAX_ANSWER_BYTES = 4096;

    /** What an endpoint answered. */
    record Answer(int status, String body, String retryAfterHeader) {

        /** Retry-After of a 429 or 503 (delta seconds or an HTTP date), at most a day; null if absent or unreadable. */
        Duration retryAfter(Instant now) {
            if ((status != 429 && status != 503) || retryAfterHeader == null) {
                return null;
            }
            String value = retryAfterHeader.strip();
            try {
                if (value.chars().allMatch(Character::isDigit) && !value.isEmpty() && value.length() < 10) {
                    return Duration.ofSeconds(Math.min(Long.parseLong(value), 86_400));
                }
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return wait.isNegative() ? Duration.ZERO : wait.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1) : wait;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /** A URL or address refused, or no answer in time; the message is safe to show in the attempt log. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final Vertx vertx;
    private final WebhooksConfig config;
    private final HttpClient client;

    WebhookSender(Vertx vertx, WebhooksConfig config) {
        this.vertx = vertx;
        this.config = config;
        // Connections per receiver address: as many as this replica may have deliveries in flight (the claim bounds
        // them per endpoint); Vert.x's default of 5 would queue an endpoint's 8 concurrent deliveries behind 5.
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(Math.toIntExact(config.timeout().toMillis())),
                new PoolOptions().setHttp1MaxSize(WebhookDispatcher.MAX_IN_FLIGHT));
    }

    /** Why this URL cannot be an endpoint, or null. Syntax only; addresses are vetted when sending. */
    String problem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute https URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && config.allowHttp())) {
            return config.allowHttp() ? "must be an http or https URL" : "must be an https URL";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return "must be an absolute URL with a host and no credentials";
        }
        return null;
    }

    Uni<Answer> post(String url, Map<String, String> headers, String body) {
        URI uri = URI.create(url);
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        // An address literal needs no lookup; a name is resolved off the event loop (the JVM's resolver blocks).
        InetAddress literal = NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)
                ? NetUtil.createInetAddressFromIpAddressString(host) : null;
        Future<InetAddress[]> resolved = literal != null ? Future.succeededFuture(new InetAddress[] { literal })
                : vertx.executeBlocking(() -> InetAddress.getAllByName(host), false);
        Future<Answer> answer = resolved
                .compose(addresses -> {
                    for (InetAddress address : addresses) {
                        if (!config.allowPrivateAddresses() && AddressPolicy.isDisallowed(address)) {
                            return Future.failedFuture(new Refused("the host resolves to a private or reserved address"));
                        }
                    }
                    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                            .setServer(SocketAddress.inetSocketAddress(port, addresses[0].getHostAddress()))
                            .setHost(host).setPort(port).setSsl(tls).setURI(path)
                            .setIdleTimeout(config.timeout().toMillis()).setFollowRedirects(false);
                    headers.forEach(options::putHeader);
                    options.putHeader("Content-Type", "application/json");
                    return client.request(options)
                            .compose(request -> request.send(Buffer.buffer(body)))
                            .compose(response -> {
                                Buffer read = Buffer.buffer();
                                io.vertx.core.Promise<Answer> done = io.vertx.core.Promise.promise();
                                response.handler(chunk -> {
                                    int room = MAX_ANSWER_BYTES - read.length();
                                    read.appendBuffer(chunk.length() > room ? chunk.getBuffer(0, room) : chunk);
                                    if (read.length() >= MAX_ANSWER_BYTES) {
                                        // Enough read: the rest is not waited for (a never-ending answer would hold the connection).
                                        done.tryComplete(new Answer(response.statusCode(), read.toString(), response.getHeader("Retry-After")));
                                        response.request().reset();
                                    }
                                });
                                response.exceptionHandler(done::tryFail);
                                response.endHandler(ignored -> done.tryComplete(new Answer(response.statusCode(),
                                        read.toString(), response.getHeader("Retry-After"))));
                                return done.future();
                            });
                });
        return Uni.createFrom().completionStage(answer.toCompletionStage())
                .ifNoItem().after(config.timeout()).failWith(() -> new Refused("no answer within " + DeliveryOutcomes.spell(config.timeout())));
    }

    /** A failure as the attempt log shows it: what happened, never a stack trace. */
    static String describe(Throwable failure) {
        if (failure instanceof Refused) {
            return failure.getMessage();
        }
        if (failure instanceof java.net.ConnectException || failure instanceof io.netty.channel.ConnectTimeoutException) {
            return "could not connect: " + failure.getMessage();
        }
        if (failure instanceof java.net.UnknownHostException) {
            return "the host name does not resolve";
        }
        return failure.getMessage() == null ? "the connection failed" : "the connection failed: " + failure.getMessage();
    }
}
