package dev.awal.contacts.media;

/**
 * A remote image could not be fetched. The message is written for API clients: it states the
 * reason in plain words and never carries stack traces, class names or internal details.
 */
public final class RemoteFetchException extends RuntimeException {

    public RemoteFetchException(String message) {
        super(message);
    }

    /** Keeps the technical cause for server-side logs while the message stays client-facing. */
    public RemoteFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
