package io.livepush.server.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** An event the nodes send one another over Pub/Sub, written field by field with {@link DataOutputStream}. */
final class PubSubEvent {
    /** What writes the fields. */
    interface Fields {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private PubSubEvent() {}

    static byte[] bytes(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            fields.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // never: it writes to memory
        }
        return bytes.toByteArray();
    }
}
