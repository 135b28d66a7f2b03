package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HomeExecutorsTest {
    @Test
    void homeThreadsPermitBlockingCallsForTheStoreWork() throws Exception {
        HomeExecutors homes = new HomeExecutors(1, 16);
        try {
            Thread home = homes.homeOf("room.a").submit(Thread::currentThread).get(5, TimeUnit.SECONDS);

            assertThat(home.getName()).startsWith("push-home");
            assertThat(home)
                    .isInstanceOfSatisfying(
                            FastThreadLocalThread.class,
                            t -> assertThat(t.permitBlockingCalls()).isTrue());
        } finally {
            homes.shutdownGracefully().awaitUninterruptibly();
        }
    }
}
