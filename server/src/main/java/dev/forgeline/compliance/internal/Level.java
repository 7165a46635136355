package dev.forgeline.compliance.internal;

import java.util.Locale;

/** Where a weighted score stands: green from the green threshold (80), amber from the amber one (50), else red. */
enum Level {
    GREEN, AMBER, RED;

    static Level of(int score, int green, int amber) {
        return score >= green ? GREEN : score >= amber ? AMBER : RED;
    }

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
