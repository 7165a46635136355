package dev.forgeline.identity;

import java.util.List;

/** A member of an organisation with the forge identities that are theirs. */
public record Person(long accountId, String username, String displayName, OrgRole role, List<ForgeIdentity> identities) {
}
