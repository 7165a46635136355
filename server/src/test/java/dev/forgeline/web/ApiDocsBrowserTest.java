package dev.forgeline.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.forgeline.test.BrowserTest;
import dev.forgeline.test.ForgelineTest;

/** Swagger UI renders the live OpenAPI document under the Content-Security-Policy, with nothing refused. */
@ForgelineTest
class ApiDocsBrowserTest extends BrowserTest {

    @Test
    void swaggerUiListsTheWebhookRouteWithNothingThePolicyRefuses() {
        open("/swagger-ui/index.html");
        waitFor("the operations", ExpectedConditions.presenceOfElementLocated(By.cssSelector(".opblock")));
        assertThat(browser.findElements(By.cssSelector(".opblock-summary-path")))
                .anySatisfy(path -> assertThat(path.getText()).isEqualTo("/api/v1/webhooks/{provider}/{connectionId}"));
        // The policy check after each test (BrowserTest) fails this test on any style or script the policy refused.
    }
}
