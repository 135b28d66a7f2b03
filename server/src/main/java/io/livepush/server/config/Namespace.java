package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import io.livepush.server.proxy.ProxyHook;
import java.time.Duration;
import java.util.Set;

/**
 * The options of the channels whose names start with {@link #prefix()} (the default namespace has prefix
 * {@code ""}): set in the {@code namespaces:} section of the config file, each option falling back to the
 * default namespace's, which the global flags set.
 *
 * @param retentionMaxMessages messages kept per channel
 * @param retentionMaxAgeSeconds age after which messages are dropped
 * @param publish whether clients may publish (the admin API always may)
 * @param presence whether rooms count their members
 * @param maxMessageBytes largest payload a client may publish
 * @param joinLeaveEvents whether room members get {@code member_joined} / {@code member_left} pushes
 * @param proxyHooks the proxy hooks that apply to these channels, from {@link #PROXY_HOOKS}; the default
 *     namespace's are the channel hooks whose URL is set, so that a hook, once on, applies everywhere a
 *     namespace does not say otherwise
 */
public record Namespace(
        String prefix,
        int retentionMaxMessages,
        int retentionMaxAgeSeconds,
        boolean publish,
        boolean presence,
        int maxMessageBytes,
        boolean joinLeaveEvents,
        Set<ProxyHook> proxyHooks) {
    /** The hooks a namespace may name in {@code proxy:}: those about a channel. */
    public static final Set<ProxyHook> PROXY_HOOKS = Set.of(ProxyHook.JOIN, ProxyHook.SUBSCRIBE, ProxyHook.PUBLISH);

    public Namespace {
        requireNonNull(prefix, "prefix");
        checkPositive("retentionMaxMessages", retentionMaxMessages);
        checkPositive("retentionMaxAgeSeconds", retentionMaxAgeSeconds);
        checkPositive("maxMessageBytes", maxMessageBytes);
        proxyHooks = Set.copyOf(requireNonNull(proxyHooks, "proxyHooks"));
        if (!PROXY_HOOKS.containsAll(proxyHooks)) {
            throw new IllegalArgumentException("proxyHooks: " + proxyHooks + " (expected: any of " + PROXY_HOOKS + ')');
        }
    }

    /** The default namespace: what the global flags say, clients may publish, presence on, no events. */
    static Namespace defaultOf(
            int retentionMaxMessages, int retentionMaxAgeSeconds, int maxMessageBytes, Set<ProxyHook> proxyHooks) {
        return new Namespace(
                "", retentionMaxMessages, retentionMaxAgeSeconds, true, true, maxMessageBytes, false, proxyHooks);
    }

    /** Whether {@code hook} (a channel hook whose URL is set) applies to these channels. */
    public boolean proxies(ProxyHook hook) {
        return proxyHooks.contains(hook);
    }

    public Duration retentionMaxAge() {
        return Duration.ofSeconds(retentionMaxAgeSeconds);
    }

    /** How logs and errors name it: {@code 'chat.'}, or {@code default}. */
    public String displayName() {
        return prefix.isEmpty() ? "default" : "'" + prefix + "'";
    }

    private static void checkPositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
