package dev.awal.contacts.storage;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;

/** The object store could not be reached or refused to work: a 503 with Retry-After, never a partial write. */
public class StorageUnavailableException extends ApiException {

    public StorageUnavailableException() {
        super(ErrorCode.SERVICE_UNAVAILABLE, "Object storage is unavailable; retry shortly");
    }
}
