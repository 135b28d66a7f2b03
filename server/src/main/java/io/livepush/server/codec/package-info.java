/**
 * The server's own encodings: the {@code push.v1.json} WebSocket subprotocol and the strict JSON that the
 * admin API and the proxy hooks share. The WebSocket JSON lives here rather than in the codec module so
 * that the codec, and the Java client built on it, do not carry protobuf-java-util, Guava and Gson.
 */
package io.livepush.server.codec;
