package dev.forgeline.compliance;

import java.util.Optional;

/** Reads the stored compliance of teams, for other modules' views (the dashboard). One row per call. */
public interface ComplianceScores {

    /** Empty until the team is first scored. */
    Optional<TeamCompliance> latest(long teamId);
}
