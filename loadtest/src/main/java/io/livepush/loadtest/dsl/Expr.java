package io.livepush.loadtest.dsl;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/** A string worked out per virtual user, e.g. from its feeder values: {@code Expr.of("room.#{room}")}. */
@FunctionalInterface
public interface Expr {
    String apply(Session session);

    /** A template whose {@code #{key}} parts are the session's values; fails the user when a key is missing. */
    static Expr of(String template) {
        requireNonNull(template, "template");
        List<Expr> parts = new ArrayList<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("#{", at);
            if (open < 0) {
                break;
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("template: " + template + " (expected: a '}' after '#{')");
            }
            String literal = template.substring(at, open);
            String key = template.substring(open + 2, close);
            parts.add(s -> literal);
            parts.add(s -> s.get(key));
            at = close + 1;
        }
        if (parts.isEmpty()) {
            return s -> template;
        }
        String tail = template.substring(at);
        parts.add(s -> tail);
        return s -> {
            StringBuilder b = new StringBuilder();
            for (Expr p : parts) {
                b.append(p.apply(s));
            }
            return b.toString();
        };
    }
}
