package dev.awal.contacts.media;

/** An uploaded file was rejected; the message is written for the client and can be returned as-is. */
public class InvalidMediaException extends RuntimeException {

    public InvalidMediaException(String reason) {
        super(reason);
    }
}
