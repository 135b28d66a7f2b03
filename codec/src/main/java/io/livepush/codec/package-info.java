/**
 * The push.v1 wire format over a byte stream: varint32-delimited protobuf frames (see PROTOCOL.md,
 * "Framing (TCP)").
 *
 * <p>Protocol only, no server logic. Inbound, {@link io.livepush.codec.VarintFrameDecoder} cuts the
 * stream into bounded frames and {@link io.livepush.codec.ProtobufFrameDecoder} parses each one;
 * outbound, {@link io.livepush.codec.DelimitedFrameEncoder} writes messages and lets pre-encoded
 * buffers from {@link io.livepush.codec.Frames#encodeDelimited} pass through. Bad input surfaces as
 * {@link io.livepush.codec.FrameTooLargeException} or {@link io.livepush.codec.MalformedFrameException};
 * answering with an {@code Error} frame and closing is the server's job.
 */
package io.livepush.codec;
