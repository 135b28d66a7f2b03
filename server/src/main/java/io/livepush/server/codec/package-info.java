/**
 * The server's own encodings of push.v1 frames: the {@code push.v1.json} WebSocket subprotocol. They
 * live here rather than in the codec module so that the codec, and the Java client built on it, do not
 * carry protobuf-java-util, Guava and Gson.
 */
package io.livepush.server.codec;
