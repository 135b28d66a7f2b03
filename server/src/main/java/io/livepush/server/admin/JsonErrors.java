package io.livepush.server.admin;

import io.livepush.server.codec.StrictJson;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds {@code {"error": {"code", "message"}}} answers; unexpected failures never show their details. */
final class JsonErrors {
    private static final Logger log = LoggerFactory.getLogger(JsonErrors.class);

    private JsonErrors() {}

    static HttpReply of(HttpResponseStatus status, String code, String message) {
        var body = StrictJson.object();
        body.putObject("error").put("code", code).put("message", message);
        return HttpReply.json(status, body);
    }

    static AdminException badRequest(String message) {
        return new AdminException(HttpResponseStatus.BAD_REQUEST.code(), "BAD_REQUEST", message);
    }

    static AdminException notFound(String message) {
        return new AdminException(HttpResponseStatus.NOT_FOUND.code(), "NOT_FOUND", message);
    }

    /** {@link AdminException} answers as it says; anything else is a 500 logged here. */
    static HttpReply fromThrowable(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AdminException e) {
            HttpReply reply = of(HttpResponseStatus.valueOf(e.status()), e.code(), e.getMessage());
            return e.retryAfterSeconds() > 0
                    ? reply.withHeader("Retry-After", Integer.toString(e.retryAfterSeconds()))
                    : reply;
        }
        log.warn("admin request failed", cause);
        return of(HttpResponseStatus.INTERNAL_SERVER_ERROR, "INTERNAL", "internal error");
    }
}
