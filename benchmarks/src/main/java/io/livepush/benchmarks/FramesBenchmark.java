package io.livepush.benchmarks;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.livepush.codec.DelimitedProtobufDecoder;
import io.livepush.codec.Frames;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The codec on the wire's two hot paths: fan-out encoding a {@code ServerFrame{Message}} once with
 * {@link Frames#encodeDelimited}, and decoding delimited frames through the TCP pipeline's decoders
 * ({@link DelimitedProtobufDecoder}): a pushed message as the client reads
 * it, and a small {@code ClientFrame{Publish}} as the server reads it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FramesBenchmark {

    /** Per thread, like a connection's event loop: its own decoders and pooled-allocator cache. */
    @State(Scope.Thread)
    public static class Codec {
        final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        final Message message = SampleMessages.message("room.lobby", 1_000_000);

        ByteBuf messageFrame;
        ByteBuf publishFrame;
        EmbeddedChannel serverFrames;
        EmbeddedChannel clientFrames;

        @Setup(Level.Trial)
        public void setUp() {
            messageFrame = Frames.encodeDelimited(
                    alloc, ServerFrame.newBuilder().setMessage(message).build());
            publishFrame = Frames.encodeDelimited(
                    alloc,
                    ClientFrame.newBuilder()
                            .setId(7)
                            .setPublish(Publish.newBuilder()
                                    .setChannel("room.lobby")
                                    .setKind(SampleMessages.KIND)
                                    .setPayload(SampleMessages.PAYLOAD))
                            .build());
            serverFrames = decoders(ServerFrame.parser());
            clientFrames = decoders(ClientFrame.parser());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            messageFrame.release();
            publishFrame.release();
            serverFrames.finishAndReleaseAll();
            clientFrames.finishAndReleaseAll();
        }

        private static <T extends MessageLite> EmbeddedChannel decoders(Parser<T> parser) {
            return new EmbeddedChannel(new DelimitedProtobufDecoder<>(ServerConfig.DEFAULT_MAX_FRAME_BYTES, parser));
        }
    }

    /** As fan-out does per published message: wrap, encode once (the members' duplicates cost no encoding). */
    @Benchmark
    public void encodeMessage(Codec codec, Blackhole bh) {
        ByteBuf frame = Frames.encodeDelimited(
                codec.alloc, ServerFrame.newBuilder().setMessage(codec.message).build());
        bh.consume(frame.readableBytes());
        frame.release();
    }

    @Benchmark
    public void decodeMessage(Codec codec, Blackhole bh) {
        bh.consume(decode(codec.serverFrames, codec.messageFrame));
    }

    @Benchmark
    public void decodePublish(Codec codec, Blackhole bh) {
        bh.consume(decode(codec.clientFrames, codec.publishFrame));
    }

    /** One frame per read, as from a socket; the decoders release the buffer they are given. */
    private static Object decode(EmbeddedChannel decoders, ByteBuf frame) {
        decoders.writeInbound(frame.retainedDuplicate());
        return decoders.readInbound();
    }
}
