package dev.forgeline.compliance.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The team's members and the forge names (logins, emails) that are theirs. A team registered without members
 * is scored with whoever appears in its repositories, each name a member of its own.
 */
record Roster(Map<Long, String> members, Map<String, Long> aliases) {

    static Roster of(Map<Long, String> members, Map<String, Long> aliases) {
        Map<String, Long> lower = new LinkedHashMap<>();
        aliases.forEach((alias, member) -> lower.put(alias.toLowerCase(Locale.ROOT), member));
        return new Roster(Map.copyOf(members), Map.copyOf(lower));
    }

    /** The member any of these names belongs to (first match wins). */
    Optional<Long> who(String... names) {
        for (String name : names) {
            if (name != null && !name.isBlank()) {
                Long member = aliases.get(name.toLowerCase(Locale.ROOT));
                if (member != null) {
                    return Optional.of(member);
                }
            }
        }
        return Optional.empty();
    }

    Optional<Long> authorOf(TeamFacts.Commit commit) {
        return who(commit.authorLogin(), commit.authorEmail(), commit.authorName());
    }

    String name(long member) {
        return members.getOrDefault(member, "#" + member);
    }

    int size() {
        return members.size();
    }
}
