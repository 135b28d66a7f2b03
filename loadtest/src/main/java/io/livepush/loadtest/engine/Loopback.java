package io.livepush.loadtest.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The harness only ever targets this machine: {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}.
 * Host names other than {@code localhost} are refused without a DNS lookup.
 */
public final class Loopback {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Loopback() {}

    /** The loopback address {@code host} names; throws {@link IllegalArgumentException} for any other host. */
    public static InetAddress resolve(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: '" + host + "' (expected: a loopback address)");
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        // Only literals reach getByName, so it never queries DNS.
        if (IPV4.matcher(h).matches() || h.contains(":")) {
            try {
                InetAddress address = InetAddress.getByName(h);
                if (address.isLoopbackAddress()) {
                    return address;
                }
            } catch (UnknownHostException e) {
                // not a valid literal: refused below
            }
        }
        throw new IllegalArgumentException(
                "host: " + host
                        + " (expected: a loopback target: localhost, 127.0.0.0/8 or ::1; the harness never loads other machines)");
    }
}
