package io.livepush.server.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.metrics.ProxyOutcome;
import io.livepush.server.session.Denial;

/**
 * What the backend decided about one call, or why there is no decision.
 *
 * @param outcome how the call ended, for the metrics
 * @param result the {@code result} object of an allowing answer, else null
 * @param denial why not, else null: the backend's refusal, or {@code UNAVAILABLE} when it gave no answer
 * @param disconnect the backend asked to close the connection ({@code {"disconnect": …}})
 */
record ProxyReply(ProxyOutcome outcome, JsonNode result, Denial denial, boolean disconnect) {
    static ProxyReply allowed(JsonNode result) {
        return new ProxyReply(ProxyOutcome.ALLOWED, requireNonNull(result, "result"), null, false);
    }

    static ProxyReply refused(ErrorCode code, String message, boolean disconnect) {
        return new ProxyReply(ProxyOutcome.REFUSED, null, new Denial(code, message), disconnect);
    }

    /** No decision: {@code outcome} is timeout, error, overloaded or abandoned. */
    static ProxyReply unavailable(ProxyHook hook, ProxyOutcome outcome, String why) {
        return new ProxyReply(outcome, null, new Denial(ErrorCode.UNAVAILABLE, hook.label() + " proxy: " + why), false);
    }

    boolean isAllowed() {
        return denial == null;
    }

    /** Whether the backend gave no decision (timeout, failure, overload): the client may retry. */
    boolean isUnavailable() {
        return denial != null && denial.code() == ErrorCode.UNAVAILABLE;
    }
}
