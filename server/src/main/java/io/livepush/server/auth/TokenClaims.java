package io.livepush.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * The verified claims of a token. A connection token carries {@code caps}; a channel token carries
 * {@code channel} and {@code channelAllow} and grants that channel only.
 *
 * @param subject the user id ({@code sub}), never empty
 * @param expiresAtMs {@code exp} in epoch milliseconds (a whole second)
 * @param issuedAtS {@code iat} in epoch seconds, 0 when the token has none (see revocation)
 * @param caps the capabilities of a connection token; empty for a channel token
 * @param channel the channel of a channel token; empty for a connection token
 * @param channelAllow what a channel token allows on its channel; empty for a connection token
 */
public record TokenClaims(
        String subject,
        long expiresAtMs,
        long issuedAtS,
        List<Capability> caps,
        String channel,
        Set<Operation> channelAllow) {
    private static final String INBOX_PREFIX = "user.";
    private static final String OWN_SPACE_PREFIX = "space.";

    public TokenClaims {
        requireNonNull(subject, "subject");
        caps = List.copyOf(requireNonNull(caps, "caps"));
        requireNonNull(channel, "channel");
        channelAllow = Set.copyOf(requireNonNull(channelAllow, "channelAllow"));
    }

    public boolean isChannelToken() {
        return !channel.isEmpty();
    }

    /**
     * Whether this token allows {@code op} on {@code channel} (or data-sync space): a capability grants
     * it, or this is a channel token for exactly that channel whose allow list has {@code op}. Besides,
     * a connection token may always subscribe to and read the history of its user's own inbox,
     * {@code user.<subject>}, and sync its own space, {@code space.<subject>}, so a backend need not
     * grant them in every token. Channel tokens get neither: a share link grants its channel and
     * nothing else, never its issuer's private messages or data.
     */
    public boolean allows(Operation op, String channel) {
        requireNonNull(op, "op");
        requireNonNull(channel, "channel");
        if (isChannelToken()) {
            return this.channel.equals(channel) && channelAllow.contains(op);
        }
        if ((op == Operation.SUBSCRIBE || op == Operation.HISTORY) && channel.equals(INBOX_PREFIX + subject)) {
            return true;
        }
        if (op == Operation.SYNC && channel.equals(OWN_SPACE_PREFIX + subject)) {
            return true;
        }
        for (Capability cap : caps) {
            if (cap.grants(op, channel)) {
                return true;
            }
        }
        return false;
    }
}
