package dev.forgeline.identity;

/** A member's role in an organisation, most rights first. */
public enum OrgRole {
    OWNER, ADMIN, MANAGER, DEVELOPER;

    /** True when this role has at least the rights of {@code other}. */
    public boolean atLeast(OrgRole other) {
        return ordinal() <= other.ordinal();
    }

    /** The role's name as the organisation shows it: a course calls them Owner, Teacher, Teacher, Student. */
    public String title(Organisation.Kind kind) {
        return switch (this) {
            case OWNER -> "Owner";
            case ADMIN -> kind == Organisation.Kind.COURSE ? "Teacher" : "Admin";
            case MANAGER -> kind == Organisation.Kind.COURSE ? "Teacher" : "Manager";
            case DEVELOPER -> kind == Organisation.Kind.COURSE ? "Student" : "Developer";
        };
    }
}
