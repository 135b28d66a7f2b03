package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** What {@code --redis-url} says: one Redis, a Sentinel-managed primary, or the seeds of a Redis Cluster. */
final class RedisUrl {
    private static final String SENTINEL_SCHEME = "redis-sentinel://";

    private RedisUrl() {}

    /**
     * The Redis nodes of {@code url}: one for {@code redis://[:password@]host:port[/db]}, {@code rediss://…}
     * (TLS) or {@code redis-sentinel://[:password@]host:port,host:port/master-name}; two or more for a
     * comma-separated list of {@code redis://} or {@code rediss://} seeds of a Redis Cluster.
     */
    static List<RedisURI> parse(String url) {
        requireNonNull(url, "url");
        if (url.startsWith(SENTINEL_SCHEME)) {
            return List.of(sentinel(url));
        }
        String[] seeds = url.split(",", -1);
        List<RedisURI> uris = new ArrayList<>(seeds.length);
        for (String seed : seeds) {
            String trimmed = seed.strip();
            if (seeds.length > 1 && !trimmed.startsWith("redis://") && !trimmed.startsWith("rediss://")) {
                throw new IllegalArgumentException("Redis Cluster seed '" + describe(trimmed)
                        + "' (expected: redis://host:port or rediss://host:port, comma-separated)");
            }
            uris.add(RedisURI.create(trimmed));
        }
        return uris;
    }

    private static RedisURI sentinel(String url) {
        URI whole = URI.create(url.replaceFirst(",.*?/", "/")); // the first sentinel, for the parts URI parses
        String master = whole.getPath() == null ? "" : whole.getPath().replaceFirst("^/", "");
        if (master.isEmpty()) {
            throw new IllegalArgumentException("redis-sentinel URL without a master name: " + url);
        }
        String hosts = url.substring(SENTINEL_SCHEME.length(), url.indexOf('/', SENTINEL_SCHEME.length()));
        String password = null;
        int at = hosts.lastIndexOf('@');
        if (at >= 0) {
            password = hosts.substring(0, at).replaceFirst("^[^:]*:", "");
            hosts = hosts.substring(at + 1);
        }
        RedisURI.Builder builder = null;
        for (String hostPort : hosts.split(",", -1)) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = colon < 0 ? 26379 : Integer.parseInt(hostPort.substring(colon + 1));
            builder =
                    builder == null ? RedisURI.Builder.sentinel(host, port, master) : builder.withSentinel(host, port);
        }
        if (password != null) {
            builder.withPassword(password.toCharArray());
        }
        return builder.build();
    }

    /** {@code url} without its passwords (each seed's), for logs. */
    static String describe(String url) {
        return url.replaceAll("//[^@/,]*@", "//***@");
    }
}
