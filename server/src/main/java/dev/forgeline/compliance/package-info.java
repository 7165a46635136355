/**
 * Course compliance: rules R01–R13 scored 0–100 per team from the team's repositories, a teacher-weighted score
 * with its level, gaming signals with their evidence, and weekly snapshots for trend lines.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Compliance")
package dev.forgeline.compliance;
