package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void tasksRunOneAtATimeInOrderOnAPoolOfThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            List<Integer> ran = new ArrayList<>(); // unsynchronised on purpose: tasks must not overlap
            AtomicInteger running = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 10_000; i++) {
                int n = i;
                serial.execute(() -> {
                    if (running.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    ran.add(n);
                    running.decrementAndGet();
                });
            }
            serial.execute(done::countDown);

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps.get()).isZero();
            assertThat(ran).hasSize(10_000).isSorted();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aRejectingExecutorDropsTasksWithoutThrowingAtTheClient() {
        SerialExecutor serial = new SerialExecutor(task -> {
            throw new RejectedExecutionException("shut down");
        });
        AtomicInteger ran = new AtomicInteger();

        assertThatCode(() -> serial.execute(ran::incrementAndGet)).doesNotThrowAnyException();
        assertThatCode(() -> serial.execute(ran::incrementAndGet)).doesNotThrowAnyException();
        assertThat(ran.get()).isZero();
    }
}
