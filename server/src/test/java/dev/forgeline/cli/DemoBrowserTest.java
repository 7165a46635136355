package dev.forgeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.demo.ForgeHistory;
import dev.forgeline.test.BrowserTest;
import dev.forgeline.test.Eventually;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;

/** The demo, small: an organisation and a course filled through the webhook endpoint, then every page opened. */
@ForgelineTest
@TestPropertySource(properties = "forgeline.admin-token=" + DemoBrowserTest.ADMIN_TOKEN)
class DemoBrowserTest extends BrowserTest {

    static final String ADMIN_TOKEN = "demo-browser-test-admin-0123456789";

    @Autowired ConfigurableApplicationContext context;

    @Test
    void demoFillsAnOrganisationAndACourseAndEveryPageShowsItsData() throws Exception {
        LocalDate from = LocalDate.now(ZoneOffset.UTC).minusDays(28);
        StringWriter said = new StringWriter();
        new DemoSeed(context, new PrintWriter(said)).fill(
                new ForgeHistory.Shape("github", DemoSeed.ORGANISATION, 2, 4, 1, from, 28, 3, 1.0, 11),
                new ForgeHistory.Shape("gitlab", DemoSeed.COURSE, 2, 4, 2, from, 28, 3, 0.5, 12));
        assertThat(said.toString()).contains("Demo ready");
        TestHttp admin = new TestHttp(port, ADMIN_TOKEN);
        Eventually.await("every delivery processed", Duration.ofSeconds(120),
                () -> admin.get("/api/v1/events?status=received&limit=1").body().contains("\"items\":[]"));

        actAs(ADMIN_TOKEN);
        open("/");
        // Other tests share this database and its organisations: home leads to one of them, then we pick the demo's.
        assertThat(browser.getCurrentUrl()).contains("/orgs/");
        open("/orgs/acme");
        assertThat(find("h1").getText()).isEqualTo("Acme Engineering");
        assertThat(find("#content").getText()).contains("Waiting longest");
        assertThat(browser.findElements(By.cssSelector(".tile"))).as("DORA tiles").hasSizeGreaterThanOrEqualTo(2);
        assertThat(find(".tile").getText()).contains("Deployment frequency");
        waitFor("the throughput chart", driver -> chartPoints("throughput") > 0);
        waitFor("the cycle-time chart", driver -> chartPoints("cycle-time") > 0);
        screenshot("demo-overview");
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(browser.switchTo().activeElement().getText()).as("the first Tab reaches the skip link").isEqualTo("Skip to content");

        find("a[href^='/orgs/acme/teams/']").click();
        assertThat(find("h1").getText()).contains("Team 1");
        assertThat(browser.findElements(By.cssSelector("a[href^='/orgs/acme/people/']"))).hasSize(4);
        screenshot("demo-team");
        find("a[href^='/orgs/acme/people/']").click();
        assertThat(browser.getCurrentUrl()).contains("/orgs/acme/people/");
        assertThat(find("dl.figures").getText()).contains("Manager").contains("Team 1").contains("github:")
                .contains("Pull requests opened / merged");
        waitFor("the person's throughput chart", driver -> chartPoints("throughput") > 0);
        screenshot("demo-person");

        open("/orgs/acme");
        find("a[href^='/orgs/acme/repositories/']").click();
        assertThat(browser.findElements(By.cssSelector("#pull-requests tbody tr"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#pull-requests ol.timeline li")).size()).isGreaterThan(1);
        assertThat(browser.findElements(By.cssSelector("#pipelines tbody tr"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#deployments tbody tr"))).isNotEmpty();
        screenshot("demo-repository");
        browser.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        assertThat(browser.executeScript("return getComputedStyle(document.documentElement).backgroundColor")).isEqualTo("rgb(15, 20, 25)");
        screenshot("demo-repository-dark");
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));

        // A course report, requested from the page and downloaded when its job has made it.
        open("/orgs/se-course");
        new Select(find("form.report-form select[name=format]")).selectByValue("pdf");
        find("form.report-form button[type=submit]").click();
        WebElement download = waitFor("the report's download link", driver -> driver.findElement(By.cssSelector(".report-download")));
        assertThat(download.getText()).isEqualTo("Download the PDF report");
        screenshot("demo-course-report");
        var pdf = TestHttp.send(HttpRequest.newBuilder(URI.create(download.getAttribute("href")))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Disposition").orElse("")).contains(".pdf");
        assertThat(pdf.body()).startsWith("%PDF-");

        open("/orgs/se-course/members");
        assertThat(find("#members tbody").getText()).contains("Student").contains("Teacher");
        screenshot("demo-course-members");

        open("/admin/connections");
        waitFor("the deliveries chart", driver -> chartPoints("deliveries-per-day") > 0);
    }
}
