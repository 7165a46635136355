package dev.forgeline.web;

import static dev.forgeline.schema.Tables.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.test.BrowserTest;
import dev.forgeline.test.ForgelineTest;

/** A fresh server, no admin token: the first visitor sets up the admin, signs in and is led to connect a forge. */
@ForgelineTest
@TestPropertySource(properties = {"forgeline.admin-token=", "spring.application.name=forgeline-first-run"})
class FirstRunBrowserTest extends BrowserTest {

    @Autowired DSLContext db;

    @Test
    void freshServerLeadsToSetupThenSignInThenConnectingAForge() {
        // The test run shares one database: make it look fresh, as a server where nobody has a password yet. The admin
        // keeps the bootstrap name, so the admin tokens other tests configure still attach to it.
        db.update(ACCOUNT).setNull(ACCOUNT.PASSWORD_HASH).execute();
        open("/");
        waitFor("the setup page", ExpectedConditions.urlContains("/setup"));
        find("input[name=username]").sendKeys("admin");
        find("input[name=displayName]").sendKeys("Ada Lovelace");
        find("input[name=password]").sendKeys("correct horse battery staple");
        find("input[name=confirm]").sendKeys("correct horse battery staple");
        find("form button[type=submit]").click();

        waitFor("the sign-in page", ExpectedConditions.urlContains("/login"));
        open("/setup");
        assertThat(browser.getCurrentUrl()).as("setup is over").doesNotContain("/setup");

        open("/login");
        find("#username").sendKeys("admin");
        find("#password").sendKeys("correct horse battery staple");
        find("form button[type=submit]").click();
        waitFor("connect a forge", ExpectedConditions.urlContains("/connect"));
        assertThat(find("h1").getText()).isEqualTo("Connect a forge");
        assertThat(find("header .who").getText()).contains("admin");
        assertThat(browser.findElements(By.cssSelector("input[name=provider]"))).hasSize(3);
    }
}
