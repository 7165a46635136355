package dev.forgeline.identity;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a caller may read across organisations, by the rules the organisation routes apply, for views that are not
 * under one organisation: the repositories API and the live streams.
 */
public interface ReadAccess {

    /** The caller's access to each organisation they belong to (to every one, as owner, for a site admin). */
    List<OrgAccess> organisations(Caller caller);

    /** The teams each repository of the organisation is assigned to; a repository assigned to none is absent. */
    Map<Long, Set<Long>> repositoryTeams(long organisationId);

    /** {@link OrgAccess#mayReadRepository} for one repository of the organisation. */
    default boolean mayReadRepository(OrgAccess access, long repositoryId) {
        return access.mayReadRepository(repositoryTeams(access.organisation().id()).getOrDefault(repositoryId, Set.of()));
    }
}
