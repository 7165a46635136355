package dev.forgeline.activity;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The repositories the forges have reported. */
public interface Repositories {

    Optional<RepositoryRef> find(long id);

    /** The repository with this provider's id, whichever connection reported it. */
    Optional<RepositoryRef> find(String provider, String forgeId);

    /**
     * The repository with the forge's id, created for the connection when no webhook has reported it yet (a group
     * import lists projects before their first event). Within the caller's transaction.
     */
    RepositoryRef register(long connectionId, ForgeEvent.Repo repo);

    /** The repositories reported through these connections, by full name. */
    List<RepositoryRef> ofConnections(Collection<Long> connectionIds);
}
