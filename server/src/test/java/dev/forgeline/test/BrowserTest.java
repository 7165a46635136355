package dev.forgeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A test that drives the whole server through a real browser: Debian's headless Chromium, one per test class
 * (each start costs a second or two). Every test leaves a screenshot in target/screenshots/ for review.
 */
public abstract class BrowserTest {

    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    protected static ChromeDriver browser;

    @LocalServerPort
    protected int port;

    @BeforeAll
    static void startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getenv().getOrDefault("FORGELINE_TEST_CHROMIUM", "/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1000");
        // The console is read after each test: a script or style the Content-Security-Policy refused shows there.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getenv().getOrDefault("FORGELINE_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    /** A screenshot of how each test ended; then nothing on the pages may have been refused by the policy. */
    @AfterEach
    void screenshotAndPolicyCheck(TestInfo test) {
        if (browser == null) {
            return;
        }
        List<String> refused = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(message -> message.contains("Content Security Policy")).toList();
        screenshot(test.getTestClass().map(Class::getSimpleName).orElse("test") + "-"
                + test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("unnamed"));
        assertThat(refused).as("what the Content-Security-Policy refused").isEmpty();
    }

    /** Saves what the browser shows now as target/screenshots/{name}.png. */
    protected static void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.move(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request the browser makes carries this API token, as a signed-in admin's would carry its session. */
    protected void actAs(String apiToken) {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Bearer " + apiToken)));
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected void open(String path) {
        browser.get(url(path));
    }

    protected WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    protected <T> T waitFor(String what, ExpectedCondition<T> condition) {
        return new WebDriverWait(browser, WAIT).withMessage(what).until(condition);
    }

    /** Waits until the element found by css has the attribute value; finds it again each time, as live regions are swapped. */
    protected void waitForAttribute(String css, String attribute, String value) {
        waitFor(css + " " + attribute + "=" + value, driver -> {
            try {
                return value.equals(driver.findElement(By.cssSelector(css)).getAttribute(attribute));
            } catch (StaleElementReferenceException | NoSuchElementException swapped) {
                return false;
            }
        });
    }

    /** Marks the current document; {@link #sameDocument()} then tells whether the page was reloaded since. */
    protected void markDocument() {
        browser.executeScript("window.forgelineTestMark = true;");
    }

    protected boolean sameDocument() {
        return Boolean.TRUE.equals(browser.executeScript("return window.forgelineTestMark === true;"));
    }

    /** The number of data points of the Chart.js chart drawn from the table with this id. */
    protected long chartPoints(String tableId) {
        Object points = browser.executeScript("""
                var table = document.getElementById(arguments[0]);
                var canvas = table && table.closest('figure') && table.closest('figure').querySelector('canvas');
                var chart = canvas && window.Chart && Chart.getChart(canvas);
                if (!chart) return -1;
                return chart.data.datasets.reduce(function (n, d) { return n + d.data.filter(function (v) { return v > 0; }).length; }, 0);
                """, tableId);
        return ((Number) points).longValue();
    }
}
