package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The namespaces of a config: a default one and any number of prefixed ones; a channel belongs to the one with
 * the longest prefix its name starts with. Immutable: a reload builds a new one.
 */
public final class Namespaces {
    /** Enough for any real deployment, and keeps the linear lookup cheap. */
    public static final int MAX_NAMESPACES = 1024;

    private final Namespace defaultNamespace;
    /** Longest prefix first, so the first match wins. */
    private final List<Namespace> byPrefixLength;

    private Namespaces(Namespace defaultNamespace, List<Namespace> prefixed) {
        this.defaultNamespace = requireNonNull(defaultNamespace, "defaultNamespace");
        if (!defaultNamespace.prefix().isEmpty()) {
            throw new IllegalArgumentException(
                    "defaultNamespace: prefix '" + defaultNamespace.prefix() + "' (expected: empty)");
        }
        if (prefixed.size() > MAX_NAMESPACES) {
            throw new IllegalArgumentException(
                    "namespaces: " + prefixed.size() + " (expected: at most " + MAX_NAMESPACES + ')');
        }
        List<Namespace> sorted = new ArrayList<>(prefixed);
        sorted.sort(Comparator.comparingInt((Namespace n) -> n.prefix().length())
                .reversed()
                .thenComparing(Namespace::prefix));
        this.byPrefixLength = List.copyOf(sorted);
    }

    public static Namespaces of(Namespace defaultNamespace, List<Namespace> prefixed) {
        return new Namespaces(defaultNamespace, prefixed);
    }

    /** The namespace of {@code channel}: the longest prefix that matches, else the default. */
    public Namespace forChannel(String channel) {
        for (Namespace namespace : byPrefixLength) {
            if (channel.startsWith(namespace.prefix())) {
                return namespace;
            }
        }
        return defaultNamespace;
    }

    public Namespace defaultNamespace() {
        return defaultNamespace;
    }

    /** The prefixed namespaces, longest prefix first. */
    public List<Namespace> prefixed() {
        return byPrefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Namespaces other
                && defaultNamespace.equals(other.defaultNamespace)
                && byPrefixLength.equals(other.byPrefixLength);
    }

    @Override
    public int hashCode() {
        return defaultNamespace.hashCode() * 31 + byPrefixLength.hashCode();
    }

    @Override
    public String toString() {
        return "Namespaces[default=" + defaultNamespace + ", prefixed=" + byPrefixLength + ']';
    }
}
