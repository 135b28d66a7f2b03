package io.livepush.server.proxy;

/**
 * Which channels a channel hook (join, subscribe, publish) applies to, among those whose URL is set.
 * Channel namespaces narrow it per name prefix; without them every channel is in scope.
 */
@FunctionalInterface
public interface ProxyScope {
    ProxyScope ALL_CHANNELS = (hook, channel) -> true;

    boolean applies(ProxyHook hook, String channel);
}
