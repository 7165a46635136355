package dev.forgeline.compliance.internal;

import java.util.List;
import java.util.Locale;

/** A sign that a team games the rules, with what it rests on. */
record Signal(Kind kind, List<Evidence> evidence) {

    static final int MAX_EVIDENCE = 20;

    Signal {
        evidence = evidence.size() > MAX_EVIDENCE ? List.copyOf(evidence.subList(0, MAX_EVIDENCE)) : List.copyOf(evidence);
    }

    enum Kind {
        EMPTY_COMMITS("Empty commits"),
        LINE_INFLATION("Line-count inflation"),
        INSTANT_ISSUES("Issues opened and closed at once"),
        SELF_MERGE("Self-merge without review");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        String title() {
            return title;
        }

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
