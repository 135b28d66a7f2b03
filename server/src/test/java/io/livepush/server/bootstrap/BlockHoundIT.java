package io.livepush.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.it.PushServerExtension;
import io.livepush.server.it.TestingBlockHoundIntegration;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.blockhound.BlockingOperationError;

/** BlockHound is on in the integration tests: a blocking call on a server event loop fails. */
class BlockHoundIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    @Test
    void sleepingOnAServerEventLoopFailsWithBlockHoundsError() {
        Future<Object> slept = server.server().workerGroup().next().submit(() -> {
            Thread.sleep(1);
            return null;
        });

        assertThat(slept.awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue();
        assertThat(slept.cause())
                .isInstanceOf(BlockingOperationError.class)
                .hasMessageContaining("java.lang.Thread.sleep");
        // Taken here, so BlockingCallCheckExtension does not fail this test for the call it expects.
        assertThat(TestingBlockHoundIntegration.drain())
                .singleElement()
                .satisfies(call -> assertThat(call.thread()).startsWith("push-io"));
    }
}
