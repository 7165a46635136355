package dev.forgeline.identity;

/** A workspace: a company's engineering organisation, or a teacher's course whose teams are student teams. */
public record Organisation(long id, String slug, String name, Kind kind) {

    public enum Kind {
        TEAM, COURSE
    }
}
