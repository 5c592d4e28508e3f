package dev.awal.contacts.security;

import java.io.IOException;

import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.http.HttpServerRequest;

/** What the body reader needs to know about a request's Content-Type, and its decoder failures in the service's words. */
final class FormBodies {

    private static final Logger LOG = Logger.getLogger(FormBodies.class);

    private FormBodies() {
    }

    /**
     * Hands the body to Vert.x's form decoder. A multipart type without a usable boundary is refused here:
     * the decoder would read it as urlencoded (no boundary) or fail inside its constructor (empty one).
     */
    static void expectForm(HttpServerRequest request, String contentType) {
        if (contentType.equals("multipart/form-data") && boundary(request.getHeader("Content-Type")) == null) {
            throw new ApiException(ErrorCode.BAD_REQUEST,
                    "multipart/form-data needs a boundary parameter in Content-Type, e.g. boundary=x7d1f");
        }
        try {
            request.setExpectMultipart(true);
        } catch (RuntimeException e) {
            LOG.debugf("Form decoder refused the request: %s", e);
            throw new ApiException(ErrorCode.BAD_REQUEST, "The Content-Type of the form body is malformed");
        }
    }

    /**
     * A body the decoders could not read, in our words: the decoders' own messages name Java classes and
     * internals, so they go to the debug log only.
     */
    static ApiException unreadable(Throwable e, String contentType, long maxFormFieldBytes) {
        LOG.debugf("Request body refused by the decoder: %s", e);
        if (e instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
            return BodyReader.tooLarge("The form has too many fields");
        }
        if (e instanceof HttpPostRequestDecoder.TooLongFormFieldException) {
            return BodyReader.tooLarge("A form field is too long");
        }
        if (e instanceof HttpPostRequestDecoder.ErrorDataDecoderException && e.getCause() instanceof IOException) {
            // The decoder's size check on one field (quarkus.http.limits.max-form-attribute-size).
            return BodyReader.tooLarge("A form field is larger than " + maxFormFieldBytes + " bytes");
        }
        if (e instanceof HttpPostRequestDecoder.ErrorDataDecoderException) {
            return new ApiException(ErrorCode.BAD_REQUEST, contentType.equals("multipart/form-data")
                    ? "The multipart body is malformed: every part needs a Content-Disposition: form-data with a non-empty name"
                    : "The form body is malformed: every field needs a non-empty name");
        }
        return new ApiException(ErrorCode.BAD_REQUEST, "The request body could not be read");
    }

    /** The multipart boundary named in a Content-Type header, or null when there is none or it is empty. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("boundary")) {
                String value = parameter.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() || value.indexOf('"') >= 0 ? null : value;
            }
        }
        return null;
    }

    /** The media type of the request, lower-case and without parameters; "" when there is none. */
    static String contentType(HttpServerRequest request) {
        String header = request.getHeader("Content-Type");
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase();
    }

    /** The declared Content-Length, or -1 when there is none (chunked) or it is unreadable. */
    static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
