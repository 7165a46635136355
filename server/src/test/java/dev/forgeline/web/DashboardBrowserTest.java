package dev.forgeline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.PersonalTokens;
import dev.forgeline.identity.Team;
import dev.forgeline.test.BrowserTest;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.Signing;
import dev.forgeline.test.TestHttp;

@ForgelineTest
@TestPropertySource(properties = "forgeline.admin-token=" + DashboardBrowserTest.ADMIN_TOKEN)
class DashboardBrowserTest extends BrowserTest {

    static final String ADMIN_TOKEN = "dashboard-browser-test-admin-0123456789";

    @Autowired Organisations organisations;
    @Autowired PersonalTokens tokens;

    private HttpResponse<String> githubDelivery(String webhookUrl, String secret, String event, String fixture) {
        byte[] body = Fixtures.read(fixture);
        return TestHttp.send(HttpRequest.newBuilder(URI.create(webhookUrl)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + Signing.hmacSha256(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @Test
    void adminConnectsAForgeAndWatchesTheFirstDeliveryArriveWithoutReloading() {
        actAs(ADMIN_TOKEN);
        open("/connect");
        find("input[name=provider][value=github]").click();
        find("input[name=name]").sendKeys("acme on GitHub");
        find("#connect-form button[type=submit]").click();

        String webhookUrl = waitFor("the webhook URL", ExpectedConditions.visibilityOfElementLocated(By.id("webhook-url"))).getText();
        String secret = find("#webhook-secret").getText();
        assertThat(webhookUrl).startsWith(url("/api/v1/webhooks/github/"));
        assertThat(secret).hasSizeGreaterThanOrEqualTo(16);
        assertThat(find("#checklist li:nth-child(3)").getAttribute("data-done")).isEqualTo("false");
        waitFor("the live stream", ExpectedConditions.textToBe(By.id("live-status"), "live"));
        markDocument();

        assertThat(githubDelivery(webhookUrl, secret, "pull_request", "github/pull_request/opened.payload.json").statusCode())
                .isEqualTo(202);

        waitForAttribute("#checklist li:nth-child(3)", "data-done", "true");
        waitForAttribute("#checklist li:nth-child(4)", "data-done", "true");
        assertThat(find("#checklist li:nth-child(3)").getText()).contains("pull_request");
        assertThat(sameDocument()).as("the page was not reloaded").isTrue();
    }

    @Test
    void connectionsPageShowsDeliveriesLiveWithLatencyAChartAndReprocess() {
        actAs(ADMIN_TOKEN);
        var created = new TestHttp(port, ADMIN_TOKEN).post("/api/v1/connections", "{\"provider\":\"github\",\"name\":\"live\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = created.body().replaceAll(".*\"secret\":\"([^\"]+)\".*", "$1");
        String webhookUrl = url(created.body().replaceAll(".*\"webhookUrl\":\"([^\"]+)\".*", "$1"));

        open("/admin/connections");
        waitFor("the live stream", ExpectedConditions.textToBe(By.id("live-status"), "live"));
        markDocument();
        var answer = githubDelivery(webhookUrl, secret, "push", "github/push/payload.json");
        assertThat(answer.statusCode()).isEqualTo(202);
        String eventId = answer.body().replaceAll(".*\"eventId\":(\\d+).*", "$1");

        waitFor("the delivery row", ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-event-id='" + eventId + "']")));
        assertThat(sameDocument()).as("the page was not reloaded").isTrue();
        waitFor("the chart", driver -> chartPoints("deliveries-per-day") > 0);

        open("/admin/connections");
        waitFor("processed", ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-event-id='" + eventId + "'] .badge"), "processed"));
        find("tr[data-event-id='" + eventId + "'] button").click();
        waitFor("the notice", ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"),
                "Delivery " + eventId + " is queued to be processed again."));
    }

    /** A real token of the account, made as that account would make it on its tokens page. */
    private String tokenOf(long accountId, String username) {
        var caller = new Caller(accountId, username, false, Set.of("read", "write"));
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(caller, null, List.of()));
        try {
            return tokens.create("browser", List.of("read", "write"), 1).secret();
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    @Test
    void developerSeesTheirOwnPersonPageAndIsDeniedATeammates() {
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        Organisation org = organisations.create("course-" + suffix, "Course " + suffix, Organisation.Kind.COURSE);
        Team team = organisations.createTeam(org.id(), "red", "Red team");
        long ada = organisations.createAccount("ada-" + suffix, "Ada Lovelace", null);
        long bob = organisations.createAccount("bob-" + suffix, "Bob Babbage", null);
        for (long account : List.of(ada, bob)) {
            organisations.addMember(org.id(), account, OrgRole.DEVELOPER);
            organisations.addTeamMember(team.id(), account);
        }
        actAs(tokenOf(ada, "ada-" + suffix));

        open("/orgs/" + org.slug() + "/people/" + ada);
        assertThat(find("h1").getText()).isEqualTo("Ada Lovelace");
        open("/orgs/" + org.slug() + "/teams/red");
        assertThat(find("h1").getText()).contains("Red team");

        open("/orgs/" + org.slug() + "/people/" + bob);
        assertThat(find("#error-status").getText()).startsWith("403");
        assertThat(browser.getPageSource()).doesNotContain("Bob Babbage");
    }

    @Test
    void adminPagesListJobsAuditAndTokensAndATokenIsShownOnceThenRevoked() {
        actAs(ADMIN_TOKEN);
        open("/admin/jobs");
        assertThat(find("h1").getText()).isEqualTo("Jobs");
        assertThat(browser.findElements(By.cssSelector("table.data tbody tr"))).isNotEmpty();
        find("button[aria-label='Run session-cleanup now']").click();
        waitFor("the run notice", ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"),
                "Recurring job session-cleanup runs now."));

        open("/tokens");
        find("#token-form input[name=name]").sendKeys("browser made");
        find("#token-form button[type=submit]").click();
        String token = waitFor("the new token", ExpectedConditions.visibilityOfElementLocated(By.id("new-token"))).getText();
        assertThat(token).startsWith("flp_");
        assertThat(new TestHttp(port, token).get("/api/v1/user/tokens").statusCode()).isEqualTo(200);
        open("/tokens");
        assertThat(browser.getPageSource()).as("shown only once").doesNotContain(token);
        find("button[aria-label='Revoke token browser made']").click();
        waitFor("the notice", ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Token revoked"));
        assertThat(new TestHttp(port, token).get("/api/v1/user/tokens").statusCode()).isEqualTo(401);

        open("/admin/audit?action=token.revoked");
        assertThat(find("table.data tbody").getText()).contains("token.revoked");
    }
}
