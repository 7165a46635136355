package dev.forgeline.identity;

/** A team inside an organisation; in a course, a student team. */
public record Team(long id, long organisationId, String slug, String name) {
}
