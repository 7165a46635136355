package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.REPOSITORY;
import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.forgeline.activity.ActivityRecorded;
import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.analytics.AlertsChanged;
import dev.forgeline.analytics.GithubDeliveries;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Team;
import dev.forgeline.platform.Access.Rule;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.LiveStream;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every route Spring MVC serves from Forgeline's controllers, called by every kind of caller on objects of their
 * own organisation and of another one. The expected status follows from the route's declared {@link Rule} alone,
 * so a route added later is covered the day it exists, and a route that declares no rule fails here.
 */
@ForgelineTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = {"forgeline.admin-token=" + IsolationMatrixTest.ADMIN_TOKEN, "forgeline.db.pool-size=5"})
class IsolationMatrixTest {

    static final String ADMIN_TOKEN = "isolation-matrix-admin-0123456789";
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}:]+)(?::[^}]*)?}");

    /** Who calls: the site admin, each role of organisation acme, a read-only token, a member of globex, nobody. */
    enum Who { SITE_ADMIN, OWNER, ADMIN, MANAGER, DEVELOPER, READ_ONLY, OUTSIDER, ANONYMOUS }

    /** Whose objects the route's variables name. */
    enum Side { ACME, GLOBEX }

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired Organisations organisations;
    @Autowired ApiTokens tokens;
    @Autowired Accounts accounts;
    @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate transaction;
    @LocalServerPort int port;

    final String run = UUID.randomUUID().toString().substring(0, 6);
    final Map<Who, Long> accountOf = new EnumMap<>(Who.class);
    final Map<Who, String> tokenOf = new EnumMap<>(Who.class);
    final Map<Side, Organisation> org = new EnumMap<>(Side.class);
    final Map<Side, Long> connection = new EnumMap<>(Side.class);
    final Map<Side, Long> repository = new EnumMap<>(Side.class);
    final Map<Side, Long> event = new EnumMap<>(Side.class);
    long bystander;

    @BeforeAll
    void organisationsWithOneOfEachRole() {
        TestHttp admin = new TestHttp(port, ADMIN_TOKEN);
        accountOf.put(Who.SITE_ADMIN, accounts.idOf(AdminBootstrap.ADMIN).orElseThrow());
        tokenOf.put(Who.SITE_ADMIN, ADMIN_TOKEN);
        for (Side side : Side.values()) {
            org.put(side, organisations.create(side.name().toLowerCase() + "-" + run, side.name(), Organisation.Kind.TEAM));
            var created = admin.post("/api/v1/connections", "{\"provider\":\"github\",\"name\":\"" + side + "\"}");
            connection.put(side, json.readTree(created.body()).get("id").asLong());
            organisations.assignConnection(org.get(side).id(), connection.get(side));
            organisations.createTeam(org.get(side).id(), "backend", "Backend");
            repository.put(side, db.insertInto(REPOSITORY).set(REPOSITORY.CONNECTION_ID, connection.get(side))
                    .set(REPOSITORY.PROVIDER, "github").set(REPOSITORY.FORGE_ID, side + run).set(REPOSITORY.FULL_NAME, side + "/app")
                    .set(REPOSITORY.FIRST_SEEN_AT, OffsetDateTime.now(ZoneOffset.UTC)).returning(REPOSITORY.ID).fetchOne(REPOSITORY.ID));
            event.put(side, db.insertInto(WEBHOOK_EVENT).set(WEBHOOK_EVENT.CONNECTION_ID, connection.get(side))
                    .set(WEBHOOK_EVENT.PROVIDER, "github").set(WEBHOOK_EVENT.EVENT_TYPE, "ping").set(WEBHOOK_EVENT.DELIVERY_ID, run)
                    .set(WEBHOOK_EVENT.RECEIVED_AT, OffsetDateTime.now(ZoneOffset.UTC)).set(WEBHOOK_EVENT.STATUS, "ignored")
                    .set(WEBHOOK_EVENT.HEADERS, "{}").set(WEBHOOK_EVENT.BODY, "{}").returning(WEBHOOK_EVENT.ID).fetchOne(WEBHOOK_EVENT.ID));
        }
        Team acmeBackend = organisations.team(org.get(Side.ACME).id(), "backend").orElseThrow();
        member(Who.OWNER, Side.ACME, OrgRole.OWNER, Set.of("read", "write"));
        member(Who.ADMIN, Side.ACME, OrgRole.ADMIN, Set.of("read", "write"));
        member(Who.MANAGER, Side.ACME, OrgRole.MANAGER, Set.of("read", "write"));
        member(Who.DEVELOPER, Side.ACME, OrgRole.DEVELOPER, Set.of("read", "write"));
        member(Who.READ_ONLY, Side.ACME, OrgRole.ADMIN, Set.of("read"));
        member(Who.OUTSIDER, Side.GLOBEX, OrgRole.ADMIN, Set.of("read", "write"));
        organisations.addTeamMember(acmeBackend.id(), accountOf.get(Who.MANAGER));
        organisations.addTeamMember(acmeBackend.id(), accountOf.get(Who.DEVELOPER));
        bystander = organisations.createAccount("bystander-" + run, "Bystander", null);
    }

    private void member(Who who, Side side, OrgRole role, Set<String> scopes) {
        long account = organisations.createAccount(who.name().toLowerCase() + "-" + run, who.name(), null);
        organisations.addMember(org.get(side).id(), account, role);
        String token = Tokens.generate("flp_");
        tokens.create(account, "matrix", token, scopes, Instant.now().plusSeconds(3600));
        accountOf.put(who, account);
        tokenOf.put(who, token);
    }

    record Route(String method, String pattern, HandlerMethod handler, Rule rule) {
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            HandlerMethod handler = entry.getValue();
            if (!handler.getBeanType().getName().startsWith(RouteRules.OWN_PACKAGE)) {
                continue;
            }
            Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
            for (String pattern : entry.getKey().getPatternValues()) {
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    routes.add(new Route(method.name(), pattern, handler, RouteRules.declared(handler).orElse(null)));
                }
            }
        }
        return routes;
    }

    @Test
    void everyRouteDeclaresAnAccessRule() {
        List<Route> routes = routes();
        assertThat(routes).as("the matrix found Forgeline's routes").hasSizeGreaterThan(20);
        assertThat(routes.stream().filter(r -> r.rule() == null).map(r -> r.method() + " " + r.pattern() + " ("
                + r.handler().getShortLogMessage() + ")").toList())
                .as("routes without @Access: declare who may call them (see docs/architecture.md)").isEmpty();
    }

    @Test
    void everyRouteAnswersEveryCallerExactlyAsItsRuleSays() {
        Set<String> failures = new TreeSet<>();
        int cells = 0;
        for (Route route : routes()) {
            if (route.rule() == null) {
                continue;
            }
            boolean sided = VARIABLE.matcher(route.pattern()).find();
            for (Side side : sided ? Side.values() : new Side[] {Side.ACME}) {
                for (Who who : Who.values()) {
                    Filled path = fill(route.pattern(), side, who);
                    TestHttp http = new TestHttp(port, tokenOf.get(who));
                    HttpResponse<String> answer = switch (route.method()) {
                        case "GET" -> http.get(path.path());
                        case "POST" -> http.post(path.path(), "{}");
                        case "PUT", "PATCH" -> withBody(route.method(), path.path(), tokenOf.get(who));
                        default -> http.send(route.method(), path.path());
                    };
                    cells++;
                    Integer expected = expected(route, who, side, path.allKnown());
                    int status = answer.statusCode();
                    boolean ok = expected != null ? status == expected
                            : status < 500 && (route.rule() == Rule.PUBLIC || (status != 401 && status != 403
                            && (!path.allKnown() || status != 404)));
                    if (!ok) {
                        failures.add(route.method() + " " + path.path() + " as " + who + " (" + route.rule() + ", " + side + "): expected "
                                + (expected == null ? "authorised" : expected) + ", got " + status + " " + answer.body());
                    }
                }
            }
        }
        assertThat(cells).isGreaterThan(200);
        assertThat(failures).isEmpty();
    }

    /**
     * The people, invitation and identity routes, called by globex's admin on acme's accounts: an "add" is only an
     * invitation, answered exactly as for an account that does not exist, and only the invited account sees or answers it.
     */
    @Test
    void anotherOrganisationsAdminCannotAddReadOrLinkOurPeople() {
        String globex = "/api/v1/orgs/" + org.get(Side.GLOBEX).slug();
        TestHttp outsider = new TestHttp(port, tokenOf.get(Who.OUTSIDER));
        String unknown = outsider.post(globex + "/people", "{\"accountId\":" + Long.MAX_VALUE + ",\"role\":\"developer\"}").body();
        for (Who who : List.of(Who.SITE_ADMIN, Who.OWNER, Who.ADMIN, Who.MANAGER, Who.DEVELOPER)) {
            HttpResponse<String> byId = outsider.post(globex + "/people", "{\"accountId\":" + accountOf.get(who) + ",\"role\":\"developer\"}");
            HttpResponse<String> byName = outsider.post(globex + "/people", "{\"username\":\"" + (who == Who.SITE_ADMIN ? AdminBootstrap.ADMIN
                    : who.name().toLowerCase() + "-" + run) + "\",\"role\":\"developer\"}");
            for (HttpResponse<String> answer : List.of(byId, byName)) {
                assertThat(answer.statusCode()).as(who + ": " + answer.body()).isEqualTo(202);
                assertThat(answer.body()).as(who + " answers as an unknown account does").isEqualTo(unknown);
            }
            assertThat(outsider.post(globex + "/people/" + accountOf.get(who) + "/identities", "{\"provider\":\"github\",\"login\":\"x-" + run + "\"}")
                    .statusCode()).as(who + ": no identity links to a non-member").isEqualTo(404);
        }
        assertThat(json.readTree(outsider.get(globex + "/people").body()).findValuesAsString("username"))
                .as("invited, not added").containsExactly("outsider-" + run);

        TestHttp developer = new TestHttp(port, tokenOf.get(Who.DEVELOPER));
        var pending = json.readTree(developer.get("/api/v1/user/invitations").body());
        assertThat(pending.findValuesAsString("organisation")).containsExactly(org.get(Side.GLOBEX).slug());
        long invitation = pending.get(0).get("id").asLong();
        for (Who who : List.of(Who.OUTSIDER, Who.OWNER, Who.ADMIN)) {
            TestHttp other = new TestHttp(port, tokenOf.get(who));
            assertThat(json.readTree(other.get("/api/v1/user/invitations").body()).findValuesAsString("id")).doesNotContain(Long.toString(invitation));
            assertThat(other.post("/api/v1/user/invitations/" + invitation + "/accept", null).statusCode()).as(who + " accepts").isEqualTo(404);
            assertThat(other.post("/api/v1/user/invitations/" + invitation + "/decline", null).statusCode()).as(who + " declines").isEqualTo(404);
        }
        // Declined, so the other tests see the organisations as they were.
        for (Who who : List.of(Who.SITE_ADMIN, Who.OWNER, Who.ADMIN, Who.MANAGER, Who.DEVELOPER)) {
            TestHttp invited = new TestHttp(port, tokenOf.get(who));
            for (String id : json.readTree(invited.get("/api/v1/user/invitations").body()).findValuesAsString("id")) {
                assertThat(invited.post("/api/v1/user/invitations/" + id + "/decline", null).statusCode()).isEqualTo(204);
            }
        }
    }

    private HttpResponse<String> withBody(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return TestHttp.send(request.build());
    }

    /** The exact status a refusal must have, or null when the caller is authorised (any answer but a refusal). */
    private Integer expected(Route route, Who who, Side side, boolean allKnown) {
        Rule rule = route.rule();
        if (rule == Rule.PUBLIC) {
            return null;
        }
        if (who == Who.ANONYMOUS) {
            // A page sends a stranger to the sign-in page; a form post without a session has no CSRF token either.
            return route.pattern().startsWith("/api/") ? 401 : route.method().equals("GET") ? 302 : 403;
        }
        Side home = who == Who.OUTSIDER ? Side.GLOBEX : Side.ACME;
        boolean sameOrganisation = who == Who.SITE_ADMIN || side == home;
        OrgRole role = switch (who) {
            case SITE_ADMIN, OWNER -> OrgRole.OWNER;
            case ADMIN, READ_ONLY, OUTSIDER -> OrgRole.ADMIN;
            case MANAGER -> OrgRole.MANAGER;
            case DEVELOPER, ANONYMOUS -> OrgRole.DEVELOPER;
        };
        OrgRole least = RouteRules.leastRole(rule);
        if (least != null && !sameOrganisation) {
            return 404;
        }
        if (who == Who.READ_ONLY && !route.method().equals("GET")) {
            return 403;
        }
        if (rule == Rule.SITE_ADMIN && who != Who.SITE_ADMIN) {
            return 403;
        }
        if (least != null && !role.atLeast(least)) {
            return 403;
        }
        if (rule == Rule.SIGNED_IN && allKnown && VARIABLE.matcher(route.pattern()).find()) {
            String pattern = route.pattern();
            boolean visible;
            if (pattern.startsWith("/api/v1/events/")) {
                visible = sameOrganisation && role.atLeast(OrgRole.ADMIN);
            } else if (pattern.startsWith("/api/v1/user/tokens/") || pattern.startsWith("/tokens/")) {
                visible = side == Side.ACME;
            } else {
                visible = sameOrganisation;
            }
            if (!visible) {
                return 404;
            }
        }
        return null;
    }

    /**
     * The live routes, opened by every caller on every page, while both organisations have activity, alerts and
     * deliveries: a stream carries an organisation's events only to whom its routes show them.
     */
    @Test
    void everyLiveStreamCarriesOnlyTheEventsOfOrganisationsItsCallerMayRead() throws Exception {
        List<String> pages = List.of("connect", "connections", "overview", "team", "person");
        Map<String, LiveStream> streams = new HashMap<>();
        try {
            for (Who who : Who.values()) {
                for (String page : pages) {
                    LiveStream stream = LiveStream.open(port, page, tokenOf.get(who), null);
                    if (who == Who.ANONYMOUS) {
                        // A stream is no page to send to the sign-in form: an EventSource is told it is not signed in.
                        assertThat(stream.status()).as(who + " on /live/" + page).isIn(302, 401);
                        continue;
                    }
                    int expected = page.startsWith("conn") && who != Who.SITE_ADMIN ? 403 : 200;
                    assertThat(stream.status()).as(who + " on /live/" + page).isEqualTo(expected);
                    if (expected == 200) {
                        stream.next("ready");
                        streams.put(who + " " + page, stream);
                    }
                }
            }
            String secret = "matrix-live-" + run + run;
            var created = new TestHttp(port, ADMIN_TOKEN).post("/api/v1/connections",
                    "{\"provider\":\"github\",\"name\":\"globex-live\",\"secret\":\"" + secret + "\"}");
            long globexHook = json.readTree(created.body()).get("id").asLong();
            organisations.assignConnection(org.get(Side.GLOBEX).id(), globexHook);
            GithubDeliveries globexForge = new GithubDeliveries(port, globexHook, secret, json, 830_000_000L + Math.abs(run.hashCode() % 1_000_000));
            var delivered = globexForge.send(globexForge.push("main", List.of()));
            assertThat(delivered.statusCode()).isEqualTo(202);
            for (Side side : Side.values()) {
                ForgeEvent.Repo repo = new ForgeEvent.Repo("github", side + run, side + "/app", "main", null);
                transaction.executeWithoutResult(tx -> events.publishEvent(new ActivityRecorded(connection.get(side), repository.get(side),
                        new ForgeEvent.Release(repo, "v1", "v1", Instant.now(), Instant.now()))));
                Who subject = side == Side.ACME ? Who.DEVELOPER : Who.OUTSIDER;
                events.publishEvent(new AlertsChanged(org.get(side).id(), 1, 0, Set.of("person:" + accountOf.get(subject))));
            }

            LiveStream admin = streams.get(Who.SITE_ADMIN + " overview");
            Set<String> adminSaw = new TreeSet<>();
            while (adminSaw.size() < 4) {
                LiveStream.Event e = admin.next(x -> x.name().equals("metrics") || x.name().equals("alert"), Duration.ofSeconds(30));
                assertThat(e).as("the site admin hears of both organisations; so far " + adminSaw).isNotNull();
                long about = json.readTree(e.data()).path("organisationId").asLong();
                if (about == org.get(Side.ACME).id() || about == org.get(Side.GLOBEX).id()) {
                    adminSaw.add(e.name() + " " + about);
                }
            }
            assertThat(streams.get(Who.SITE_ADMIN + " connections").next("delivery").data()).contains("\"connectionId\":" + globexHook);

            // Every event above has been sent to every stream once the site admin has the last one; a moment for the wire.
            Thread.sleep(2000);
            Set<String> failures = new TreeSet<>();
            for (Map.Entry<String, LiveStream> entry : streams.entrySet()) {
                Who who = Who.valueOf(entry.getKey().substring(0, entry.getKey().indexOf(' ')));
                Set<Side> readable = who == Who.SITE_ADMIN ? Set.of(Side.ACME, Side.GLOBEX) : Set.of(who == Who.OUTSIDER ? Side.GLOBEX : Side.ACME);
                Set<String> heard = new TreeSet<>(entry.getKey().equals(Who.SITE_ADMIN + " overview") ? adminSaw : Set.of());
                for (LiveStream.Event e : entry.getValue().during(Duration.ofMillis(20))) {
                    switch (e.name()) {
                        case "delivery" -> {
                            if (who != Who.SITE_ADMIN) {
                                failures.add(entry.getKey() + " received a delivery " + e.data());
                            }
                        }
                        case "metrics", "alert" -> {
                            long about = json.readTree(e.data()).path("organisationId").asLong();
                            // Servers of other test classes share the database: the site admin also hears of theirs.
                            if (who != Who.SITE_ADMIN || about == org.get(Side.ACME).id() || about == org.get(Side.GLOBEX).id()) {
                                heard.add(e.name() + " " + about);
                            }
                        }
                        default -> { }
                    }
                }
                if (!entry.getKey().contains(" conn")) {
                    Set<String> expected = new TreeSet<>();
                    readable.forEach(side -> expected.addAll(List.of("metrics " + org.get(side).id(), "alert " + org.get(side).id())));
                    if (!heard.equals(expected)) {
                        failures.add(entry.getKey() + " heard " + heard + ", expected " + expected);
                    }
                }
            }
            assertThat(failures).isEmpty();
        } finally {
            streams.values().forEach(LiveStream::close);
        }
    }

    record Filled(String path, boolean allKnown) {
    }

    /** The route's path with its variables naming objects of one side; unknown variables get a placeholder. */
    private Filled fill(String pattern, Side side, Who who) {
        Matcher matcher = VARIABLE.matcher(pattern);
        StringBuilder path = new StringBuilder();
        boolean allKnown = true;
        while (matcher.find()) {
            String value = switch (matcher.group(1)) {
                case "org" -> org.get(side).slug();
                case "team" -> "backend";
                case "account" -> Long.toString(side == Side.ACME ? accountOf.get(Who.DEVELOPER) : accountOf.get(Who.OUTSIDER));
                case "id" -> idFor(pattern, side, who);
                default -> null;
            };
            if (value == null) {
                allKnown = false;
                value = "1";
            }
            matcher.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(path);
        return new Filled(path.toString(), allKnown);
    }

    private String idFor(String pattern, Side side, Who who) {
        if (pattern.startsWith("/api/v1/repositories/")) {
            return Long.toString(repository.get(side));
        }
        if (pattern.startsWith("/api/v1/events/")) {
            return Long.toString(event.get(side));
        }
        if (pattern.contains("/connections/")) {
            return Long.toString(connection.get(side));
        }
        if (pattern.startsWith("/api/v1/user/tokens/") || pattern.startsWith("/tokens/")) {
            // The caller's own token (a fresh one: the call may revoke it), or someone else's.
            long owner = side == Side.ACME && who != Who.ANONYMOUS ? accountOf.get(who) : bystander;
            return Long.toString(tokens.create(owner, "victim", Tokens.generate("flp_"), Set.of("read"), null));
        }
        return null;
    }
}
