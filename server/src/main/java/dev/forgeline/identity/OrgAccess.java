package dev.forgeline.identity;

import java.util.Set;

/**
 * What the caller of a request may see in one organisation. Controllers of routes with an {@code {org}} path
 * variable declare a parameter of this type; it is resolved before the method runs, and a caller who is not a
 * member gets 404, as if the organisation did not exist.
 *
 * @param callerTeams the teams the caller belongs to in this organisation
 * @param teamPeople  the accounts that share a team with the caller (the caller included)
 */
public record OrgAccess(Organisation organisation, OrgRole role, Caller caller, Set<Long> callerTeams, Set<Long> teamPeople) {

    public boolean atLeast(OrgRole other) {
        return role.atLeast(other);
    }

    /** Detailed data of a person: their own; a manager's team members'; anyone's for admins and owners. */
    public boolean mayReadPerson(long accountId) {
        return accountId == caller.accountId() || atLeast(OrgRole.ADMIN)
                || (role == OrgRole.MANAGER && teamPeople.contains(accountId));
    }

    /** A team's aggregates: its members and managers see them; admins and owners see every team's. */
    public boolean mayReadTeam(long teamId) {
        return atLeast(OrgRole.ADMIN) || callerTeams.contains(teamId);
    }

    /**
     * A repository's work (its pull requests, commits, pipelines, its place in a waiting list). In a course each
     * group's repositories are read as the group's team page is ({@link #mayReadTeam}); one assigned to no group is
     * the course's own, read by all its members. In a team organisation every member reads every repository.
     *
     * @param repositoryTeams the teams the repository is assigned to
     */
    public boolean mayReadRepository(Set<Long> repositoryTeams) {
        if (readsEveryRepository()) {
            return true;
        }
        return repositoryTeams.isEmpty() || repositoryTeams.stream().anyMatch(this::mayReadTeam);
    }

    /** True when {@link #mayReadRepository} holds for every repository of the organisation, whatever its teams. */
    public boolean readsEveryRepository() {
        return organisation.kind() != Organisation.Kind.COURSE || atLeast(OrgRole.ADMIN);
    }
}
