package io.livepush.server.store;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A data-sync space's commit point: its cursor and the version of every item it holds (tombstones
 * included). Mutable; confined to the space's home thread.
 *
 * <p>Encoded as:
 * <pre>
 * +-------------+-------------+---------------------------------------------+
 * | cursor: i64 | count: i32  | count x ( item id: modified UTF-8, ver: i64 ) |
 * +-------------+-------------+---------------------------------------------+
 * </pre>
 */
public final class SpaceIndex {
    private long cursor;
    private final Map<String, Long> versions;

    public SpaceIndex(long cursor, Map<String, Long> versions) {
        this.cursor = cursor;
        this.versions = new LinkedHashMap<>(requireNonNull(versions, "versions"));
    }

    public static SpaceIndex empty() {
        return new SpaceIndex(0, Map.of());
    }

    /** The version of the space's last accepted change; 0 for a space never written. */
    public long cursor() {
        return cursor;
    }

    /** Item id → version of its last change. */
    public Map<String, Long> versions() {
        return versions;
    }

    /** Takes the next version for {@code itemId} and returns it. */
    public long bump(String itemId) {
        cursor++;
        versions.put(itemId, cursor);
        return cursor;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + versions.size() * 24);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(cursor);
            out.writeInt(versions.size());
            for (Map.Entry<String, Long> e : versions.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SpaceIndex decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            long cursor = in.readLong();
            int n = in.readInt();
            Map<String, Long> versions = new LinkedHashMap<>(Math.max(16, n * 2));
            for (int i = 0; i < n; i++) {
                versions.put(in.readUTF(), in.readLong());
            }
            return new SpaceIndex(cursor, versions);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt space index", e);
        }
    }
}
