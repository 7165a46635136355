package dev.forgeline.activity;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The repositories the forges have reported. */
public interface Repositories {

    Optional<RepositoryRef> find(long id);

    /** The repositories reported through these connections, by full name. */
    List<RepositoryRef> ofConnections(Collection<Long> connectionIds);
}
