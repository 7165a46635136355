package dev.forgeline.compliance;

import java.util.Locale;
import java.util.Optional;

/** The course compliance rules; docs/metrics.md ("Course compliance") gives each formula. */
public enum Rule {
    R01("Commit regularity"),
    R02("Team work distribution"),
    R03("Issue usage"),
    R04("Commit–issue linking"),
    R05("Merge requests and code review"),
    R06("CI/CD pipeline"),
    R07("Pipeline success rate"),
    R08("README and docs"),
    R09("Branch strategy"),
    R10("Commit message quality"),
    R11("Commit size"),
    R12("Time distribution"),
    R13("Overall team dynamics");

    private final String title;

    Rule(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public static Optional<Rule> parse(String code) {
        try {
            return Optional.of(valueOf(code.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
