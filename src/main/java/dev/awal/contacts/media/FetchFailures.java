package dev.awal.contacts.media;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.file.FileSystemException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** How a failed download is told to the client: what went wrong, in words, never a class name. */
final class FetchFailures {

    private static final long BYTES_PER_KB = 1024;
    private static final long BYTES_PER_MB = 1024 * 1024;

    private FetchFailures() {
    }

    static RemoteFetchException describe(Throwable failure, String endpoint, Duration connectTimeout) {
        if (failure instanceof RemoteFetchException known) {
            return known;
        }
        // Netty's connect timeout is a ConnectException too, so it is checked first.
        if (hasCause(failure, ConnectTimeoutException.class)) {
            return new RemoteFetchException("could not connect: " + endpoint + " did not answer within "
                    + duration(connectTimeout), failure);
        }
        if (hasCause(failure, ConnectException.class)) {
            return new RemoteFetchException("could not connect: " + endpoint + " refused the connection",
                    failure);
        }
        if (hasCause(failure, SSLException.class)) {
            return new RemoteFetchException("could not connect: TLS handshake with " + endpoint + " failed",
                    failure);
        }
        if (hasCause(failure, HttpClosedException.class)) {
            return new RemoteFetchException("remote server closed the connection before the image was complete",
                    failure);
        }
        if (hasCause(failure, FileSystemException.class)) {
            return new RemoteFetchException("could not store the downloaded image", failure);
        }
        return new RemoteFetchException("download from " + endpoint + " failed", failure);
    }

    static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    static String size(long bytes) {
        if (bytes % BYTES_PER_MB == 0) {
            return bytes / BYTES_PER_MB + " MB";
        }
        return bytes % BYTES_PER_KB == 0 ? bytes / BYTES_PER_KB + " KB" : bytes + " bytes";
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
