package dev.forgeline.identity;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Organisations, their teams and members, and which forge identities and connections belong to them. */
public interface Organisations {

    Optional<Organisation> find(String slug);

    Optional<Organisation> find(long id);

    List<Organisation> all();

    /** The caller's role there; a site admin is owner everywhere; empty when not a member (answer 404). */
    Optional<OrgRole> roleOf(Caller caller, long organisationId);

    List<Team> teams(long organisationId);

    Optional<Team> team(long organisationId, String slug);

    /** Account ids of the team's members. */
    Set<Long> teamMembers(long teamId);

    /** Ids of the teams the account belongs to in the organisation. */
    Set<Long> teamsOf(long organisationId, long accountId);

    /** Activity repository ids assigned to the team. */
    Set<Long> teamRepositories(long teamId);

    /**
     * The members with the forge identities this organisation counts as theirs: the ones its admins linked, and the
     * ones each account holds itself, unless the organisation linked that identity to someone else.
     */
    List<Person> people(long organisationId);

    /** The account that holds a forge identity itself (signs in with it): by login on that provider first, then by email. */
    Optional<Long> personOf(String provider, String login, String email);

    /** Whom an organisation counts a forge identity as: its own link first, then the account that holds it. */
    Optional<Long> personOf(long organisationId, String provider, String login, String email);

    /** Ingest connection ids the organisation owns; its repositories are the ones those connections report. */
    Set<Long> connections(long organisationId);

    /** The organisation that owns a connection, if any. */
    Optional<Long> ownerOfConnection(long connectionId);

    Organisation create(String slug, String name, Organisation.Kind kind);

    Team createTeam(long organisationId, String slug, String name);

    /** Adds the account to the organisation, or changes its role there. */
    void addMember(long organisationId, long accountId, OrgRole role);

    void addTeamMember(long teamId, long accountId);

    void assignRepository(long teamId, long repositoryId);

    /** Gives the account an identity it holds itself: proven by signing in, or it was made for that login. */
    void linkIdentity(long accountId, ForgeIdentity identity);

    /** Links an identity to a member in one organisation's views only; other organisations may link it otherwise. */
    void linkIdentity(long organisationId, long accountId, ForgeIdentity identity);

    /** Makes the organisation the owner of the connection (a connection has one owner). */
    void assignConnection(long organisationId, long connectionId);

    /** An account without a password: its person signs in through a forge or OpenID provider, or gets one later. */
    long createAccount(String username, String displayName, String email);
}
