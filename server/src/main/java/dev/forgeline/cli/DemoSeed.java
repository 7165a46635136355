package dev.forgeline.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ConfigurableApplicationContext;

import dev.forgeline.activity.Repositories;
import dev.forgeline.activity.RepositoryRef;
import dev.forgeline.demo.ForgeHistory;
import dev.forgeline.identity.FirstRun;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Team;
import dev.forgeline.ingest.ForgeConnections;

/**
 * Fills a fresh server with a demo organisation (GitHub) and a course (GitLab): teams, people linked to their forge
 * logins, and each one's generated history sent to the server's own webhook endpoint, signed as the forge signs it.
 */
final class DemoSeed {

    static final String ORGANISATION = "acme";
    static final String COURSE = "se-course";
    private static final int IN_FLIGHT = 8;

    private final Organisations organisations;
    private final ForgeConnections connections;
    private final Repositories repositories;
    private final ObjectProvider<FirstRun> firstRun;
    private final URI server;
    private final PrintWriter out;

    DemoSeed(ConfigurableApplicationContext context, PrintWriter out) {
        this.organisations = context.getBean(Organisations.class);
        this.connections = context.getBean(ForgeConnections.class);
        this.repositories = context.getBean(Repositories.class);
        this.firstRun = context.getBeanProvider(FirstRun.class);
        this.server = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port", "8080"));
        this.out = out;
    }

    /** Months of a few teams' work: what `forgeline demo` shows. */
    void fill(int teams, long seed) throws InterruptedException {
        fill(ForgeHistory.Shape.demo("github", ORGANISATION, teams, seed), ForgeHistory.Shape.demo("gitlab", COURSE, teams, seed + 1));
    }

    /** The organisation's history on GitHub and the course's on GitLab; owners must be the two slugs above. */
    void fill(ForgeHistory.Shape organisationShape, ForgeHistory.Shape courseShape) throws InterruptedException {
        String signIn = adminSignIn();
        if (organisations.find(ORGANISATION).isPresent()) {
            out.printf("Demo data already here. Open %s%s%n", server, signIn);
            out.flush();
            return;
        }
        Organisation org = organisations.create(ORGANISATION, "Acme Engineering", Organisation.Kind.TEAM);
        Organisation course = organisations.create(COURSE, "Software Engineering Project", Organisation.Kind.COURSE);
        fill(org, new ForgeHistory(organisationShape), "Team");
        fill(course, new ForgeHistory(courseShape), "Group");
        out.printf("Demo ready: open %s%s%n", server, signIn);
        out.flush();
    }

    private void fill(Organisation organisation, ForgeHistory history, String teamWord) throws InterruptedException {
        String provider = history.shape().provider();
        ForgeConnections.Connected connection = connections.connect(provider, organisation.name() + " on " + provider);
        organisations.assignConnection(organisation.id(), connection.id());

        Map<Integer, Team> teams = new HashMap<>();
        for (int i = 0; i < history.shape().teams(); i++) {
            teams.put(i, organisations.createTeam(organisation.id(), teamWord.toLowerCase() + "-" + (i + 1), teamWord + " " + (i + 1)));
        }
        Map<Integer, Boolean> managed = new HashMap<>();
        for (ForgeHistory.Person person : history.people()) {
            long account = organisations.createAccount(organisation.slug() + "-" + person.login(), person.name(), person.email());
            // The first person of each team leads it; in a course everyone else is a student.
            boolean lead = managed.putIfAbsent(person.team(), true) == null;
            organisations.addMember(organisation.id(), account, lead ? OrgRole.MANAGER : OrgRole.DEVELOPER);
            organisations.addTeamMember(teams.get(person.team()).id(), account);
            organisations.linkIdentity(account, new ForgeIdentity(provider, person.login(), person.email()));
        }

        long count;
        try (Stream<ForgeHistory.Delivery> all = history.deliveries()) {
            count = all.count();
        }
        out.printf("%s: sending %d deliveries as %s would…%n", organisation.name(), count, provider);
        out.flush();
        int refused;
        try (Stream<ForgeHistory.Delivery> deliveries = history.deliveries()) {
            refused = send(WebhookDelivery.Provider.parse(provider), connection, deliveries.iterator());
        }
        if (refused > 0) {
            out.printf("%s: %d deliveries were refused (see the log)%n", organisation.name(), refused);
        }
        assignRepositories(organisation, history, connection.id(), teams);
    }

    private int send(WebhookDelivery.Provider provider, ForgeConnections.Connected connection, Iterator<ForgeHistory.Delivery> deliveries)
            throws InterruptedException {
        AtomicInteger refused = new AtomicInteger();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            while (deliveries.hasNext()) {
                ForgeHistory.Delivery d = deliveries.next();
                inFlight.acquire();
                senders.submit(() -> {
                    try {
                        var request = new WebhookDelivery(provider, d.event(), d.deliveryId(), d.body())
                                .request(server, connection.id(), connection.secret());
                        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 != 2) {
                            refused.incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        refused.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight.release();
                    }
                    return null;
                });
            }
        }
        return refused.get();
    }

    /** Repositories exist once their deliveries are processed: wait for them, then give each to its team. */
    private void assignRepositories(Organisation organisation, ForgeHistory history, long connectionId, Map<Integer, Team> teams)
            throws InterruptedException {
        Map<String, Integer> teamOf = new HashMap<>();
        history.repositories().forEach(r -> teamOf.put(r.fullName(), r.team()));
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        List<RepositoryRef> found = List.of();
        while (System.nanoTime() < deadline) {
            found = repositories.ofConnections(List.of(connectionId));
            if (found.size() >= teamOf.size()) {
                break;
            }
            Thread.sleep(500);
        }
        for (RepositoryRef repository : found) {
            Integer team = teamOf.get(repository.fullName());
            if (team != null) {
                organisations.assignRepository(teams.get(team).id(), repository.id());
            }
        }
    }

    /** How to sign in: a fresh server gets an admin with a printed password; otherwise the admin already set up. */
    private String adminSignIn() {
        FirstRun run = firstRun.getIfAvailable();
        if (run != null && run.pending()) {
            byte[] bytes = new byte[9];
            new SecureRandom().nextBytes(bytes);
            String password = HexFormat.of().formatHex(bytes);
            run.createAdmin("admin", "Demo administrator", password);
            return " and sign in as admin with password " + password;
        }
        return " and sign in as the admin";
    }
}
