package io.livepush.server.it;

import io.livepush.server.it.TestingBlockHoundIntegration.BlockingCall;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test, or its class, when BlockHound found a blocking call on an event loop while it ran (see
 * {@link TestingBlockHoundIntegration}). Registered for every test class by JUnit's extension auto-detection; checks
 * after the whole class too, since auto-detected extensions run their after-callbacks last, once the server stopped.
 * Without BlockHound installed (the unit tests) nothing is ever found.
 */
public final class BlockingCallCheckExtension implements AfterEachCallback, AfterAllCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        check(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context);
    }

    private static void check(ExtensionContext context) {
        List<BlockingCall> calls = TestingBlockHoundIntegration.drain();
        if (calls.isEmpty()) {
            return;
        }
        // Each call's stack trace comes with it as a suppressed exception.
        AssertionError failure = new AssertionError(calls.size() + " blocking call(s) on an event loop by the end of "
                + context.getDisplayName() + ": " + calls);
        calls.forEach(c -> failure.addSuppressed(c.error()));
        throw failure;
    }
}
