package dev.forgeline.reports.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.analytics.GithubDeliveries;
import dev.forgeline.analytics.HistoryBuilder;
import dev.forgeline.compliance.StudentCourse;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engineering metrics of reports: three weeks of an untidy history (HistoryBuilder) in one repository, reported on
 * for September, the CSV parsed and the PDF read back, and every figure compared with what the metrics API answers for
 * the same scope and days — so a report never tells another story than the dashboard.
 */
@ForgelineTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The settings of ReportTest, which runs next: one server for both, never paused and resumed between them.
@TestPropertySource(properties = "forgeline.admin-token=" + ReportTest.ADMIN_TOKEN)
class AnalyticsReportTest {

    static final String FROM = "2026-09-01";
    static final String TO = "2026-09-30";
    /** Calendar weeks of the report, the first and last cut short by its days. */
    static final List<String[]> WEEKS = List.of(new String[] {"2026-09-01", "2026-09-06"}, new String[] {"2026-09-07", "2026-09-13"},
            new String[] {"2026-09-14", "2026-09-20"}, new String[] {"2026-09-21", "2026-09-27"}, new String[] {"2026-09-28", "2026-09-30"});

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired Organisations organisations;
    @LocalServerPort int port;

    TestHttp admin;
    String org;
    String orgName;
    Map<String, Long> people = new HashMap<>();
    Map<String, String> usernames = new HashMap<>();
    String anaToken;
    String miaToken;
    String miaUsername;

    @BeforeAll
    void history() {
        admin = new TestHttp(port, ReportTest.ADMIN_TOKEN);
        String suffix = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000L);
        List<String> logins = HistoryBuilder.PEOPLE.stream().map(p -> p + "-r" + suffix).toList();
        String secret = "secret-" + UUID.randomUUID();
        long connection = json.readTree(admin.post("/api/v1/connections",
                "{\"provider\":\"github\",\"name\":\"r" + suffix + "\",\"secret\":\"" + secret + "\"}").body()).get("id").asLong();
        GithubDeliveries repo = new GithubDeliveries(port, connection, secret, json, 300_000_000L + Long.parseLong(suffix) % 100_000_000L);
        GithubDeliveries.sendAll(db, connection, List.of(repo),
                HistoryBuilder.history(repo, 11, 60, Instant.parse("2026-09-07T08:00:00Z"), logins), repo);

        Organisation organisation = organisations.create("report-" + suffix, "Report Org " + suffix, Organisation.Kind.TEAM);
        org = organisation.slug();
        orgName = organisation.name();
        organisations.assignConnection(organisation.id(), connection);
        for (int i = 0; i < logins.size(); i++) {
            String name = HistoryBuilder.PEOPLE.get(i);
            String username = name + suffix;
            long account = organisations.createAccount(username, name, null);
            organisations.addMember(organisation.id(), account, OrgRole.DEVELOPER);
            organisations.linkIdentity(account, ForgeIdentity.login("github", logins.get(i)));
            people.put(name, account);
            usernames.put(name, username);
        }
        var core = organisations.createTeam(organisation.id(), "core", "Core");
        var web = organisations.createTeam(organisation.id(), "web", "Web");
        List.of("ana", "ben", "cai").forEach(p -> organisations.addTeamMember(core.id(), people.get(p)));
        List.of("dee", "eve").forEach(p -> organisations.addTeamMember(web.id(), people.get(p)));
        organisations.assignRepository(core.id(), repo.repositoryId(db));
        miaUsername = "mia" + suffix;
        long mia = organisations.createAccount(miaUsername, "Mia", null);
        organisations.addMember(organisation.id(), mia, OrgRole.MANAGER);
        organisations.addTeamMember(core.id(), mia);
        anaToken = StudentCourse.token(db, people.get("ana"));
        miaToken = StudentCourse.token(db, mia);
    }

    private String body(String scope, String team, String format) {
        return "{\"scope\":\"" + scope + "\"," + (team == null ? "" : "\"team\":\"" + team + "\",")
                + "\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"format\":\"" + format + "\"}";
    }

    private HttpResponse<byte[]> generated(TestHttp as, String scope, String team, String format) {
        return ReportDownloads.generated(as, json, "/api/v1/orgs/" + org + "/reports", body(scope, team, format));
    }

    private JsonNode api(String metric, String query) {
        var answer = admin.get("/api/v1/orgs/" + org + "/metrics/" + metric + "?" + query);
        assertThat(answer.statusCode()).as(metric + "?" + query + ": " + answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }

    private static String team(String slug) {
        return slug == null ? "" : "team=" + slug + "&";
    }

    /** The rows of a CSV table: those after its title and header lines, up to the empty line that ends it. */
    private static List<List<String>> table(List<List<String>> lines, String title, List<String> header) {
        int at = lines.indexOf(List.of(title));
        assertThat(at).as("table '" + title + "' in " + lines).isNotNegative();
        if (header != null) {
            assertThat(lines.get(at + 1)).containsExactlyElementsOf(header);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            rows.add(lines.get(i));
        }
        return rows;
    }

    private static List<String> row(List<List<String>> rows, String... first) {
        return rows.stream().filter(r -> r.subList(0, first.length).equals(List.of(first))).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + List.of(first) + " in " + rows));
    }

    /** A cell shows the API's number rounded (times {@code scale}), or "-" where the API has none. */
    private static void same(String cell, JsonNode value, double scale, double tolerance) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            assertThat(cell).isEqualTo("-");
        } else {
            assertThat(Double.parseDouble(cell)).as(cell + " vs " + value).isCloseTo(value.asDouble() * scale, within(tolerance));
        }
    }

    private static void hours(String cell, JsonNode value) {
        same(cell, value, 1, 0.0051);
    }

    private static void count(String cell, JsonNode value) {
        assertThat(cell).isEqualTo(value.isNull() ? "-" : Long.toString(value.asLong()));
    }

    private void assertDora(List<List<String>> rows, String subject, String teamSlug) {
        JsonNode d = api("dora", team(teamSlug) + "from=" + FROM + "&to=" + TO);
        List<String> r = row(rows, subject);
        count(r.get(1), d.get("deployments"));
        count(r.get(2), d.get("deploymentDays"));
        same(r.get(3), d.get("medianDeploymentDaysPerWeek"), 1, 0.0051);
        assertThat(r.get(4)).isEqualTo(d.get("frequencyBand").asString().toLowerCase());
        hours(r.get(5), d.get("leadTimeForChangesHours"));
        count(r.get(6), d.get("deployedPullRequests"));
        same(r.get(7), d.get("changeFailureRate"), 100, 0.051);
        count(r.get(8), d.get("failedDeployments"));
        hours(r.get(9), d.get("failedDeploymentRecoveryHours"));
        count(r.get(10), d.get("incidents"));
    }

    private void assertCycleTime(List<List<String>> rows, String subject, String teamSlug) {
        JsonNode c = api("cycle-time", team(teamSlug) + "from=" + FROM + "&to=" + TO);
        Map<String, String> parts = Map.of("Coding", "coding", "Pickup", "pickup", "Review", "review", "Deploy", "deploy",
                "Cycle time", "cycle", "Time to merge", "timeToMerge");
        parts.forEach((part, field) -> {
            List<String> r = row(rows, subject, part);
            count(r.get(2), c.get(field).get("samples"));
            hours(r.get(3), c.get(field).get("medianHours"));
            hours(r.get(4), c.get(field).get("averageHours"));
        });
    }

    private void assertPullRequests(List<List<String>> rows, String subject, String teamSlug) {
        JsonNode s = api("summary", team(teamSlug) + "from=" + FROM + "&to=" + TO);
        List<String> r = row(rows, subject);
        count(r.get(1), s.get("prsOpened"));
        count(r.get(2), s.get("prsMerged"));
        count(r.get(3), s.get("prsClosedUnmerged"));
        hours(r.get(4), s.get("avgTimeToMergeHours"));
        same(r.get(5), s.get("avgPrSizeLines"), 1, 0.051);
        count(r.get(6), s.get("prsReviewed"));
        count(r.get(7), s.get("reviewsGiven"));
        hours(r.get(8), s.get("avgReviewResponseHours"));
        same(r.get(9), s.get("firstReviewByOthersRate"), 100, 0.051);
        count(r.get(10), s.get("selfMergesWithoutReview"));
    }

    private static void assertScore(List<String> r, JsonNode score) {
        same(r.get(1), score.get("score"), 1, 0.0051);
        same(r.get(2), score.get("mergeConsistency"), 1, 0.00051);
        same(r.get(3), score.get("reviewParticipation"), 1, 0.00051);
        same(r.get(4), score.get("mergeTimeEfficiency"), 1, 0.00051);
        same(r.get(5), score.get("activityStability"), 1, 0.00051);
    }

    private void assertPerson(List<List<String>> rows, String name) {
        JsonNode s = api("summary", "person=" + people.get(name) + "&from=" + FROM + "&to=" + TO);
        List<String> r = row(rows, usernames.get(name));
        count(r.get(1), s.get("prsOpened"));
        count(r.get(2), s.get("prsMerged"));
        count(r.get(3), s.get("prsReviewed"));
        count(r.get(4), s.get("reviewsGiven"));
        count(r.get(5), s.get("reviewsReceived"));
        count(r.get(6), s.get("commits"));
        count(r.get(7), s.get("additions"));
        count(r.get(8), s.get("deletions"));
        count(r.get(9), s.get("comments"));
        hours(r.get(10), s.get("avgTimeToMergeHours"));
    }

    @Test
    void organisationReportCsvHoldsTheFiguresOfTheMetricsApi() {
        HttpResponse<byte[]> file = generated(admin, "organisation", null, "csv");
        assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<List<String>> lines = Csv.parse(new String(file.body(), StandardCharsets.UTF_8));

        List<List<String>> dora = table(lines, "DORA", List.of("Subject", "Deployments", "Deployment days", "Days a week (median)",
                "Frequency band", "Lead time h (median)", "Deployed PRs", "Change failure %", "Failed deployments",
                "Recovery h (median)", "Incidents"));
        assertThat(dora).extracting(List::getFirst).containsExactly(orgName, "Core", "Web");
        assertThat(Integer.parseInt(row(dora, orgName).get(1))).as("the history has production deployments").isGreaterThan(5);
        assertThat(row(dora, "Web").get(1)).as("no repository is the web team's").isEqualTo("0");
        assertDora(dora, orgName, null);
        assertDora(dora, "Core", "core");
        assertDora(dora, "Web", "web");

        List<List<String>> cycle = table(lines, "Cycle time of merged pull requests", List.of("Subject", "Part", "PRs", "Median h", "Mean h"));
        assertThat(Integer.parseInt(row(cycle, orgName, "Cycle time").get(2))).as("merged PRs").isGreaterThan(20);
        assertCycleTime(cycle, orgName, null);
        assertCycleTime(cycle, "Core", "core");
        assertCycleTime(cycle, "Web", "web");

        List<List<String>> prs = table(lines, "Pull requests and reviews", null);
        assertPullRequests(prs, orgName, null);
        assertPullRequests(prs, "Core", "core");

        List<List<String>> weeks = table(lines, "Cycle time by week, " + orgName, List.of("Week of", "Merged PRs", "Coding h (median)",
                "Pickup h (median)", "Review h (median)", "Deploy h (median)", "Cycle time h (median)"));
        assertThat(weeks).extracting(List::getFirst).containsExactlyElementsOf(WEEKS.stream().map(w -> w[0]).toList());
        List<List<String>> throughput = table(lines, "Throughput by week, " + orgName, List.of("Week of", "PRs opened", "PRs merged",
                "Closed unmerged", "Reviews given", "Deployments"));
        int merged = 0;
        for (int i = 0; i < WEEKS.size(); i++) {
            String window = "from=" + WEEKS.get(i)[0] + "&to=" + WEEKS.get(i)[1];
            JsonNode c = api("cycle-time", window);
            List<String> w = weeks.get(i);
            count(w.get(1), c.get("mergedPullRequests"));
            hours(w.get(2), c.at("/coding/medianHours"));
            hours(w.get(3), c.at("/pickup/medianHours"));
            hours(w.get(4), c.at("/review/medianHours"));
            hours(w.get(5), c.at("/deploy/medianHours"));
            hours(w.get(6), c.at("/cycle/medianHours"));
            JsonNode s = api("summary", window);
            List<String> t = throughput.get(i);
            count(t.get(1), s.get("prsOpened"));
            count(t.get(2), s.get("prsMerged"));
            count(t.get(3), s.get("prsClosedUnmerged"));
            count(t.get(4), s.get("reviewsGiven"));
            count(t.get(5), api("dora", window).get("deployments"));
            merged += Integer.parseInt(w.get(1));
        }
        assertThat(weeks.getFirst().get(1)).as("nothing happened before the 7th").isEqualTo("0");
        assertThat(merged).as("the weeks add up to the month").isEqualTo(Integer.parseInt(row(cycle, orgName, "Cycle time").get(2)));

        JsonNode reliability = api("reliability", "to=" + TO);
        String window = reliability.at("/window/from").asString() + " to " + TO;
        List<List<String>> scores = table(lines, "Delivery Reliability Score, " + window, null);
        assertScore(row(scores, orgName), reliability.get("score"));
        assertScore(row(scores, "Core"), api("reliability", "team=core&to=" + TO).get("score"));
        List<List<String>> personScores = table(lines, "Delivery Reliability Score per person, " + window, null);
        for (JsonNode person : reliability.get("people")) {
            assertScore(row(personScores, person.get("username").asString()), person.get("score"));
        }

        List<List<String>> activity = table(lines, "People", List.of("Person", "PRs opened", "PRs merged", "PRs reviewed",
                "Reviews given", "Reviews received", "Commits", "Lines added", "Lines deleted", "Comments", "Merge h (mean)"));
        assertThat(activity).as("everyone in the organisation, fay in no team and the manager too").hasSize(7);
        HistoryBuilder.PEOPLE.forEach(name -> assertPerson(activity, name));
    }

    @Test
    void teamReportPdfShowsTheTeamsFiguresAndDrawsItsWeeklyCharts() throws IOException {
        HttpResponse<byte[]> file = generated(admin, "team", "core", "pdf");
        assertThat(file.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/pdf");
        try (PDDocument pdf = Loader.loadPDF(file.body())) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            String text = stripper.getText(pdf);
            assertThat(text).contains("Forgeline report: " + orgName + ", Core");
            assertThat(text).doesNotContain("Web ");

            JsonNode d = api("dora", "team=core&from=" + FROM + "&to=" + TO);
            assertThat(text).contains("Core " + d.get("deployments").asInt() + " " + d.get("deploymentDays").asInt() + " ");
            JsonNode c = api("cycle-time", "team=core&from=" + FROM + "&to=" + TO);
            assertThat(text).contains("Core Cycle time " + c.at("/cycle/samples").asInt() + " "
                    + number(c.at("/cycle/medianHours").asDouble(), 2) + " " + number(c.at("/cycle/averageHours").asDouble(), 2));
            JsonNode ana = api("summary", "person=" + people.get("ana") + "&from=" + FROM + "&to=" + TO);
            assertThat(text).contains(usernames.get("ana") + " " + ana.get("prsOpened").asInt() + " " + ana.get("prsMerged").asInt()
                    + " " + ana.get("prsReviewed").asInt() + " " + ana.get("reviewsGiven").asInt());
            assertThat(text).as("not a member of the team").doesNotContain(usernames.get("dee"));
            assertThat(text).contains("Cycle time by part per week, Core: medians stacked (hours)", "Coding", "Pickup", "Review", "Deploy");
            assertThat(text).contains("Throughput per week, Core (count)", "PRs opened", "Deployments");

            int page = pageWith(pdf, "Cycle time by part per week");
            Map<String, Integer> operators = operators(pdf, page);
            assertThat(operators.getOrDefault("re", 0)).as("rectangles: bars and legend keys").isGreaterThan(10);
            BufferedImage image = new PDFRenderer(pdf).renderImageWithDPI(page, 72);
            assertThat(pixels(image, 0x0072B2)).as("coding segments are drawn in the first series colour").isGreaterThan(50);
            assertThat(pixels(image, 0xE69F00)).as("pickup segments in the second").isGreaterThan(20);

            int throughputPage = pageWith(pdf, "Throughput per week");
            assertThat(operators(pdf, throughputPage).getOrDefault("l", 0)).as("line segments of the weekly series").isGreaterThan(8);
        }
    }

    @Test
    void aReportShowsOnlyTheOwnFiguresItsRequesterMayRead() {
        TestHttp ana = new TestHttp(port, anaToken);
        List<List<String>> own = Csv.parse(new String(generated(ana, "team", "core", "csv").body(), StandardCharsets.UTF_8));
        assertThat(table(own, "People", null)).extracting(List::getFirst).containsExactly(usernames.get("ana"));
        assertThat(own.stream().filter(l -> l.size() == 1 && l.getFirst().startsWith("Delivery Reliability Score per person")))
                .hasSize(1);

        TestHttp mia = new TestHttp(port, miaToken);
        HttpResponse<byte[]> managers = generated(mia, "team", "core", "csv");
        List<List<String>> lines = Csv.parse(new String(managers.body(), StandardCharsets.UTF_8));
        assertThat(table(lines, "People", null)).extracting(List::getFirst)
                .containsExactlyInAnyOrder(usernames.get("ana"), usernames.get("ben"), usernames.get("cai"), miaUsername);
        var status = json.readTree(mia.post("/api/v1/orgs/" + org + "/reports", body("team", "core", "csv")).body());
        assertThat(ana.get(status.get("url").asString()).statusCode())
                .as("a teammate may see the team, not each member's figures the manager's report shows").isEqualTo(404);
        assertThat(admin.get(status.get("url").asString()).statusCode()).isIn(200, 202);
    }

    /** As the report prints a number: rounded half up, without trailing zeros. */
    private static String number(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** The first page (0-based) whose text holds {@code text}. */
    private static int pageWith(PDDocument pdf, String text) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        for (int i = 1; i <= pdf.getNumberOfPages(); i++) {
            stripper.setStartPage(i);
            stripper.setEndPage(i);
            if (stripper.getText(pdf).contains(text)) {
                return i - 1;
            }
        }
        throw new AssertionError("no page with '" + text + "'");
    }

    private static Map<String, Integer> operators(PDDocument pdf, int page) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (Object token : new PDFStreamParser(pdf.getPage(page)).parse()) {
            if (token instanceof Operator operator) {
                counts.merge(operator.getName(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int pixels(BufferedImage image, int rgb) {
        int n = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int p = image.getRGB(x, y) & 0xFFFFFF;
                if (Math.abs((p >> 16) - (rgb >> 16)) < 12 && Math.abs(((p >> 8) & 0xFF) - ((rgb >> 8) & 0xFF)) < 12
                        && Math.abs((p & 0xFF) - (rgb & 0xFF)) < 12) {
                    n++;
                }
            }
        }
        return n;
    }
}
