package io.livepush.server.it;

import org.junit.jupiter.api.Assumptions;

/** Which engine the integration tests run on (see {@link PushServerExtension}). */
final class EngineUnderTest {
    private EngineUnderTest() {}

    static boolean redis() {
        return "redis".equals(System.getProperty("push.it.engine"));
    }

    /** Skips a test of what only the embedded engine has, saying why. */
    static void assumeEmbedded(String why) {
        Assumptions.assumeFalse(redis(), why);
    }
}
