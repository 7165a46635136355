package dev.forgeline.identity;

/**
 * Announced after a change to who belongs where (members, teams, team members and repositories, forge identities,
 * connections), so that what others keep of it is read again. organisationId is null when the change may concern
 * several organisations.
 */
public record OrganisationsChanged(Long organisationId) {
}
