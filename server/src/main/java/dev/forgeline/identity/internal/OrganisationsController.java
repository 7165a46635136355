package dev.forgeline.identity.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.activity.Repositories;
import dev.forgeline.audit.Audit;
import dev.forgeline.identity.Caller;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Organisations, their teams, people and roles, forge identities and connection ownership. Site admins create
 * organisations and hand them connections; an organisation's admins and owners run everything inside it.
 */
@RestController
@RequestMapping("/api/v1/orgs")
@Tag(name = "Organisations")
class OrganisationsController {

    static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");
    static final Set<String> PROVIDERS = Set.of("github", "gitlab", "gitea");

    private final Organisations organisations;
    private final Accounts accounts;
    private final Invitations invitations;
    private final Repositories repositories;
    private final Audit audit;

    OrganisationsController(Organisations organisations, Accounts accounts, Invitations invitations, Repositories repositories,
                            Audit audit) {
        this.organisations = organisations;
        this.accounts = accounts;
        this.invitations = invitations;
        this.repositories = repositories;
        this.audit = audit;
    }

    record NewOrganisation(String slug, String name, String kind) {
    }

    record OrganisationView(String slug, String name, String kind, String role, String roleTitle) {

        static OrganisationView of(Organisation organisation, OrgRole role) {
            return new OrganisationView(organisation.slug(), organisation.name(), organisation.kind().name().toLowerCase(Locale.ROOT),
                    role.name().toLowerCase(Locale.ROOT), role.title(organisation.kind()));
        }
    }

    record NewTeam(String slug, String name) {
    }

    record TeamView(String slug, String name) {
    }

    record TeamDetail(String slug, String name, Set<Long> members, Set<Long> repositories) {
    }

    record NewMember(Long accountId, String username, String role) {
    }

    record PersonView(long accountId, String username, String displayName, String role, String roleTitle,
                      List<ForgeIdentity> identities) {
    }

    /** The answer to an invitation, the same whether or not the account exists. */
    record InvitationSent(String status) {
        static final InvitationSent SENT = new InvitationSent("invitation sent");
    }

    record TeamMember(Long accountId) {
    }

    record TeamRepository(Long repositoryId) {
    }

    record NewIdentity(String provider, String login, String email) {
    }

    @PostMapping
    @Access(Rule.SITE_ADMIN)
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    @Operation(summary = "Create an organisation: kind team (a company's engineering org) or course (a teacher's course)")
    OrganisationView create(@RequestBody NewOrganisation request) {
        String slug = slug(request.slug());
        String name = name(request.name());
        Organisation.Kind kind = switch (request.kind() == null ? "team" : request.kind()) {
            case "team" -> Organisation.Kind.TEAM;
            case "course" -> Organisation.Kind.COURSE;
            default -> throw bad("kind must be team or course");
        };
        Organisation created;
        try {
            created = organisations.create(slug, name, kind);
        } catch (DuplicateKeyException taken) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "an organisation '" + slug + "' exists already");
        }
        audit.record("organisation.created", "organisation", slug, kind.name().toLowerCase(Locale.ROOT) + " '" + name + "'");
        return OrganisationView.of(created, OrgRole.OWNER);
    }

    @GetMapping
    @Access(Rule.SIGNED_IN)
    @Operation(summary = "The organisations you belong to, with your role in each (all of them for a site admin)")
    List<OrganisationView> list() {
        Caller caller = Caller.current().orElseThrow();
        return organisations.all().stream()
                .flatMap(o -> organisations.roleOf(caller, o.id()).map(role -> OrganisationView.of(o, role)).stream())
                .toList();
    }

    @GetMapping("/{org}")
    @Access(Rule.ORG_MEMBER)
    @Operation(summary = "One organisation and your role in it")
    OrganisationView get(OrgAccess access) {
        return OrganisationView.of(access.organisation(), access.role());
    }

    @GetMapping("/{org}/teams")
    @Access(Rule.ORG_MEMBER)
    @Operation(summary = "The organisation's teams (a course's student teams)")
    List<TeamView> teams(OrgAccess access) {
        return organisations.teams(access.organisation().id()).stream().map(t -> new TeamView(t.slug(), t.name())).toList();
    }

    @PostMapping("/{org}/teams")
    @Access(Rule.ORG_ADMIN)
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    @Operation(summary = "Create a team")
    TeamView createTeam(OrgAccess access, @RequestBody NewTeam request) {
        String slug = slug(request.slug());
        String name = name(request.name());
        try {
            organisations.createTeam(access.organisation().id(), slug, name);
        } catch (DuplicateKeyException taken) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "a team '" + slug + "' exists already");
        }
        audit.record("team.created", "team", access.organisation().slug() + "/" + slug, name);
        return new TeamView(slug, name);
    }

    @GetMapping("/{org}/teams/{team}")
    @Access(Rule.ORG_MEMBER)
    @Operation(summary = "A team's members and repositories: for its members, and for admins and owners")
    TeamDetail team(OrgAccess access, @PathVariable String team) {
        Team found = readableTeam(access, team);
        return new TeamDetail(found.slug(), found.name(), organisations.teamMembers(found.id()), organisations.teamRepositories(found.id()));
    }

    @PostMapping("/{org}/teams/{team}/members")
    @Access(Rule.ORG_ADMIN)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    @Operation(summary = "Put a member of the organisation in a team")
    void addTeamMember(OrgAccess access, @PathVariable String team, @RequestBody TeamMember request) {
        Team found = readableTeam(access, team);
        if (request.accountId() == null) {
            throw bad("accountId is required");
        }
        long member = member(access, request.accountId());
        organisations.addTeamMember(found.id(), member);
        audit.record("team.member-added", "team", access.organisation().slug() + "/" + found.slug(), "account " + member);
    }

    @PostMapping("/{org}/teams/{team}/repositories")
    @Access(Rule.ORG_ADMIN)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    @Operation(summary = "Assign one of the organisation's repositories to a team")
    void assignRepository(OrgAccess access, @PathVariable String team, @RequestBody TeamRepository request) {
        Team found = readableTeam(access, team);
        if (request.repositoryId() == null) {
            throw bad("repositoryId is required");
        }
        Set<Long> owned = organisations.connections(access.organisation().id());
        repositories.find(request.repositoryId()).filter(r -> owned.contains(r.connectionId()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no repository " + request.repositoryId()));
        organisations.assignRepository(found.id(), request.repositoryId());
        audit.record("team.repository-assigned", "team", access.organisation().slug() + "/" + found.slug(),
                "repository " + request.repositoryId());
    }

    @GetMapping("/{org}/people")
    @Access(Rule.ORG_MEMBER)
    @Operation(summary = "People and their forge identities: admins see everyone, managers their teams, developers themselves")
    List<PersonView> people(OrgAccess access) {
        Organisation.Kind kind = access.organisation().kind();
        return organisations.people(access.organisation().id()).stream()
                .filter(p -> access.mayReadPerson(p.accountId()))
                .map(p -> new PersonView(p.accountId(), p.username(), p.displayName(), p.role().name().toLowerCase(Locale.ROOT),
                        p.role().title(kind), p.identities()))
                .toList();
    }

    @PostMapping("/{org}/people")
    @Access(Rule.ORG_ADMIN)
    @Transactional
    @Operation(summary = "Change a member's role (200); invite an account that is not a member (202, the same answer whether "
            + "or not it exists; it joins when it accepts); a site admin adds accounts directly (200). Only owners grant or "
            + "change owner")
    ResponseEntity<Object> addMember(OrgAccess access, @RequestBody NewMember request) {
        OrgRole role = role(request.role());
        String username = request.username() == null ? null : request.username().strip();
        if (request.accountId() == null && (username == null || username.isEmpty())) {
            throw bad("give accountId or username");
        }
        Optional<Long> named = request.accountId() != null ? Optional.of(request.accountId()).filter(accounts::exists)
                : accounts.idOf(username);
        long organisationId = access.organisation().id();
        var current = named.flatMap(id -> organisations.people(organisationId).stream().filter(p -> p.accountId() == id).findFirst());
        boolean touchesOwner = role == OrgRole.OWNER || current.map(p -> p.role() == OrgRole.OWNER).orElse(false);
        if (touchesOwner && !access.atLeast(OrgRole.OWNER)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "only an owner grants or changes the owner role");
        }
        String slug = access.organisation().slug();
        if (current.isEmpty() && !access.caller().actsAsAdmin()) {
            // Whether the account exists is not the organisation's to learn: it is invited, and joins if it accepts.
            if (named.isPresent()) {
                invitations.invite(organisationId, named.get(), role, access.caller().accountId());
                audit.record("invitation.created", "membership", slug + "/" + named.get(), role.name().toLowerCase(Locale.ROOT));
            } else {
                audit.record("invitation.no-account", "membership", slug + "/?",
                        request.accountId() != null ? "account " + request.accountId() : "username '" + clip(username) + "'");
            }
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(InvitationSent.SENT);
        }
        long accountId = named.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                request.accountId() != null ? "no account " + request.accountId() : "no account '" + clip(username) + "'"));
        organisations.addMember(organisationId, accountId, role);
        invitations.withdraw(organisationId, accountId);
        String target = slug + "/" + accountId;
        if (current.isPresent()) {
            audit.record("membership.role-changed", "membership", target,
                    current.get().role().name().toLowerCase(Locale.ROOT) + " -> " + role.name().toLowerCase(Locale.ROOT));
        } else {
            audit.record("membership.added", "membership", target, role.name().toLowerCase(Locale.ROOT));
        }
        return ResponseEntity.ok(organisations.people(organisationId).stream().filter(p -> p.accountId() == accountId).findFirst()
                .map(p -> new PersonView(p.accountId(), p.username(), p.displayName(), p.role().name().toLowerCase(Locale.ROOT),
                        p.role().title(access.organisation().kind()), p.identities()))
                .orElseThrow());
    }

    @PostMapping("/{org}/people/{account}/identities")
    @Access(Rule.ORG_ADMIN)
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    @Operation(summary = "Link a forge login (provider + login) or a commit email to a member, so their work counts as theirs "
            + "in this organisation's views (other organisations may link it to their own people)")
    ForgeIdentity linkIdentity(OrgAccess access, @PathVariable long account, @RequestBody NewIdentity request) {
        long member = member(access, account);
        String login = blankToNull(request.login());
        String email = blankToNull(request.email());
        ForgeIdentity identity;
        if (login != null && email == null) {
            if (request.provider() == null || !PROVIDERS.contains(request.provider())) {
                throw bad("provider must be github, gitlab or gitea");
            }
            if (login.length() > 200) {
                throw bad("login must be at most 200 characters");
            }
            identity = ForgeIdentity.login(request.provider(), login);
        } else if (email != null && login == null) {
            if (!email.contains("@") || email.length() > 320) {
                throw bad("email must be an email address");
            }
            identity = ForgeIdentity.email(email);
        } else {
            throw bad("give either provider and login, or email");
        }
        try {
            organisations.linkIdentity(access.organisation().id(), member, identity);
        } catch (DuplicateKeyException taken) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "that identity is linked to someone in this organisation already");
        }
        audit.record("identity.linked", "account", Long.toString(member), access.organisation().slug() + ": "
                + (identity.login() != null ? identity.provider() + ":" + identity.login() : identity.email()));
        return identity;
    }

    @GetMapping("/{org}/connections")
    @Access(Rule.ORG_ADMIN)
    @Operation(summary = "Ids of the forge connections the organisation owns")
    Set<Long> connections(OrgAccess access) {
        return organisations.connections(access.organisation().id());
    }

    @PostMapping("/{org}/connections/{id}")
    @Access(Rule.SITE_ADMIN)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    @Operation(summary = "Give an existing connection to the organisation; its repositories and events become the organisation's")
    void assignConnection(OrgAccess access, @PathVariable long id) {
        organisations.assignConnection(access.organisation().id(), id);
        audit.record("connection.assigned", "connection", Long.toString(id), "to " + access.organisation().slug());
    }

    private Team readableTeam(OrgAccess access, String slug) {
        return organisations.team(access.organisation().id(), slug).filter(t -> access.mayReadTeam(t.id()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no team '" + slug + "'"));
    }

    /** A member of this organisation: anyone else is 404, as if the account did not exist. */
    private long member(OrgAccess access, long accountId) {
        boolean member = organisations.people(access.organisation().id()).stream().map(Person::accountId).anyMatch(id -> id == accountId);
        return member ? accountId : notFoundAccount(accountId);
    }

    private static String clip(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "…" : value;
    }

    private static long notFoundAccount(long accountId) {
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no account " + accountId);
    }

    private static OrgRole role(String value) {
        if (value == null) {
            throw bad("role must be owner, admin, manager or developer");
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "owner" -> OrgRole.OWNER;
            case "admin" -> OrgRole.ADMIN;
            case "manager", "teacher" -> OrgRole.MANAGER;
            case "developer", "student" -> OrgRole.DEVELOPER;
            default -> throw bad("role must be owner, admin, manager or developer");
        };
    }

    static String slug(String value) {
        if (value == null || !SLUG.matcher(value).matches()) {
            throw bad("slug must be 1 to 100 lower-case letters, digits and dashes, starting with a letter or digit");
        }
        return value;
    }

    private static String name(String value) {
        String name = value == null ? "" : value.strip();
        if (name.isEmpty() || name.length() > 200) {
            throw bad("name must be 1 to 200 characters");
        }
        return name;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static ResponseStatusException bad(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }
}
