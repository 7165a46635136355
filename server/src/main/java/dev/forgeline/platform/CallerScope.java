package dev.forgeline.platform;

import java.util.Set;

/**
 * Which forge connections' data the caller of the current request may see, for routes that are not under one
 * organisation (a repository or a delivery by id). Identity decides it from the caller's memberships.
 */
public interface CallerScope {

    /** Connections owned by organisations the caller belongs to; every connection for a site admin. */
    Connections readable();

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
}
