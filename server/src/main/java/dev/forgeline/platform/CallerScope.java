package dev.forgeline.platform;

import java.util.Set;

/**
 * Which forge connections' data the caller of the current request may see, for routes that are not under one
 * organisation (a repository or a delivery by id). Identity decides it from the caller's memberships.
 */
public interface CallerScope {

    /**
     * The repositories the caller may read by their organisations' rules: every repository of some connections, and
     * single repositories of others (in a course, a student reads only their own group's); everything for a site admin.
     */
    Readable readable();

    /** Connections owned by organisations where the caller is an admin or owner; every one for a site admin. */
    Connections administered();

    /** A set of connection ids, or all of them. */
    record Connections(boolean all, Set<Long> ids) {

        public static final Connections NONE = new Connections(false, Set.of());
        public static final Connections ALL = new Connections(true, Set.of());

        public boolean includes(long connectionId) {
            return all || ids.contains(connectionId);
        }
    }

    /** Repositories: all of them, or those of some connections plus some single ones. */
    record Readable(boolean all, Set<Long> connections, Set<Long> repositories) {

        public static final Readable NONE = new Readable(false, Set.of(), Set.of());
        public static final Readable ALL = new Readable(true, Set.of(), Set.of());

        public boolean includes(long connectionId, long repositoryId) {
            return all || connections.contains(connectionId) || repositories.contains(repositoryId);
        }
    }
}
