package io.livepush.server.config;

import io.livepush.server.proxy.ProxyConfig;
import io.livepush.server.proxy.ProxyHook;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags of the proxy hooks, a mixin of {@link CommandLineOptions}: field names are those
 * {@link ProxyConfig} names in its messages, so a refused value names its flag.
 */
final class ProxyOptions {
    @Option(
            names = "--proxy-connect-url",
            paramLabel = "URL",
            description =
                    "Backend URL that authenticates a Connect whose token is not one of this server's (empty, a cookie, an opaque token). Env: PUSH_PROXY_CONNECT_URL.")
    private URI proxyConnectUrl;

    @Option(
            names = "--proxy-join-url",
            paramLabel = "URL",
            description =
                    "Backend URL that allows or refuses a join or switch without a channel token. Env: PUSH_PROXY_JOIN_URL.")
    private URI proxyJoinUrl;

    @Option(
            names = "--proxy-subscribe-url",
            paramLabel = "URL",
            description =
                    "Backend URL that allows or refuses a subscribe without a channel token. Env: PUSH_PROXY_SUBSCRIBE_URL.")
    private URI proxySubscribeUrl;

    @Option(
            names = "--proxy-publish-url",
            paramLabel = "URL",
            description =
                    "Backend URL that allows, refuses or rewrites a client's publish before it is stored. Env: PUSH_PROXY_PUBLISH_URL.")
    private URI proxyPublishUrl;

    @Option(
            names = "--proxy-refresh-url",
            paramLabel = "URL",
            description =
                    "Backend URL that extends a session the connect URL opened, before its expire_at. Env: PUSH_PROXY_REFRESH_URL.")
    private URI proxyRefreshUrl;

    @Option(
            names = "--proxy-timeout-ms",
            paramLabel = "MS",
            description =
                    "How long a proxy call may take before the client gets UNAVAILABLE. Env: PUSH_PROXY_TIMEOUT_MS. Default: ${DEFAULT-VALUE}.")
    private int proxyTimeoutMs = ProxyConfig.DEFAULT_TIMEOUT_MS;

    @Option(
            names = "--proxy-max-in-flight",
            paramLabel = "N",
            description =
                    "Calls of one hook waiting for the backend at once; one more gets UNAVAILABLE at once. Env: PUSH_PROXY_MAX_IN_FLIGHT. Default: ${DEFAULT-VALUE}.")
    private int proxyMaxInFlight = ProxyConfig.DEFAULT_MAX_IN_FLIGHT;

    // Header values may be secrets: help never shows them.
    @Option(
            names = "--proxy-header",
            paramLabel = "'NAME: VALUE'",
            description = "A header sent with every proxy call; repeatable. Env: PUSH_PROXY_HEADER (one header).")
    private List<String> proxyHeaders = new ArrayList<>();

    /** @throws IllegalArgumentException naming the field of a value out of range */
    ProxyConfig toConfig() {
        Map<ProxyHook, URI> urls = new EnumMap<>(ProxyHook.class);
        put(urls, ProxyHook.CONNECT, proxyConnectUrl);
        put(urls, ProxyHook.JOIN, proxyJoinUrl);
        put(urls, ProxyHook.SUBSCRIBE, proxySubscribeUrl);
        put(urls, ProxyHook.PUBLISH, proxyPublishUrl);
        put(urls, ProxyHook.REFRESH, proxyRefreshUrl);
        return new ProxyConfig(
                urls,
                Duration.ofMillis(proxyTimeoutMs),
                proxyMaxInFlight,
                proxyHeaders.stream().map(ProxyConfig.Header::parse).toList());
    }

    private static void put(Map<ProxyHook, URI> urls, ProxyHook hook, URI url) {
        if (url != null) {
            urls.put(hook, url);
        }
    }
}
