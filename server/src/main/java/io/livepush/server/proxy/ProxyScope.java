package io.livepush.server.proxy;

/**
 * Which channels a channel hook (join, subscribe, publish) applies to, among those whose URL is set: the
 * channel namespaces say, per name prefix.
 */
@FunctionalInterface
public interface ProxyScope {
    boolean applies(ProxyHook hook, String channel);
}
