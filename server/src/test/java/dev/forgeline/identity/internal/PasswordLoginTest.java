package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.ACCOUNT;
import static dev.forgeline.schema.Tables.AUDIT_EVENT;
import static dev.forgeline.schema.Tables.LOGIN_SESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.identity.AccountPasswords;
import dev.forgeline.identity.FirstRun;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;

/** The browser's way in: the login page, a signed session cookie, CSRF on form posts, logout. No admin token is set. */
@ForgelineTest
@TestPropertySource(properties = {"forgeline.identity.session-lifetime=2h", "forgeline.db.pool-size=5"})
class PasswordLoginTest {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @Autowired DSLContext db;
    @Autowired Organisations organisations;
    @Autowired AccountPasswords passwords;
    @Autowired FirstRun firstRun;
    @LocalServerPort int port;

    String username;
    final String password = "correct horse battery staple";

    @BeforeEach
    void account() {
        username = "ada-" + UUID.randomUUID().toString().substring(0, 6);
        passwords.setPassword(organisations.createAccount(username, "Ada", null), password);
    }

    /** What a browser holds between requests: the cookies the server set. */
    final class Browser {
        final StringBuilder cookies = new StringBuilder();

        HttpResponse<String> send(HttpRequest.Builder request) {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.toString());
            }
            HttpResponse<String> answer = TestHttp.send(request.build());
            for (String set : answer.headers().allValues("Set-Cookie")) {
                String pair = set.substring(0, set.indexOf(';'));
                String name = pair.substring(0, pair.indexOf('='));
                String kept = cookies.toString().replaceAll("(^|; )" + Pattern.quote(name) + "=[^;]*", "").replaceFirst("^; ", "");
                cookies.setLength(0);
                cookies.append(kept);
                if (!pair.endsWith("=")) {
                    cookies.append(cookies.isEmpty() ? "" : "; ").append(pair);
                }
            }
            return answer;
        }

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        HttpResponse<String> form(String path, String... fields) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < fields.length; i += 2) {
                body.append(i == 0 ? "" : "&").append(fields[i]).append('=').append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
            }
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        }

        String cookie(String name) {
            Matcher matcher = Pattern.compile("(?:^|; )" + Pattern.quote(name) + "=([^;]*)").matcher(cookies);
            return matcher.find() ? matcher.group(1) : null;
        }

        /** Opens the login page and signs in; returns the answer to the form post. */
        HttpResponse<String> signIn(String user, String secret) {
            HttpResponse<String> page = get("/login");
            assertThat(page.statusCode()).isEqualTo(200);
            Matcher csrf = CSRF_FIELD.matcher(page.body());
            assertThat(csrf.find()).as("the login form carries a CSRF token").isTrue();
            return form("/login", "username", user, "password", secret, "_csrf", csrf.group(1));
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    @Test
    void signingInSetsASignedHttpOnlyLaxCookieThatTheApiAccepts() {
        Browser browser = new Browser();
        HttpResponse<String> signedIn = browser.signIn(username, password);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        String setCookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(SessionCookies.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/").contains("Max-Age=7200");
        assertThat(browser.cookie(SessionCookies.COOKIE)).contains(".");

        assertThat(browser.get("/api/v1/orgs").statusCode()).isEqualTo(200);
        assertThat(browser.get("/some-page").statusCode()).as("pages open with the session").isNotEqualTo(302);
        long accountId = db.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.USERNAME.eq(username)).fetchSingle(ACCOUNT.ID);
        assertThat(db.select(AUDIT_EVENT.ACTION).from(AUDIT_EVENT).where(AUDIT_EVENT.TARGET_ID.eq(Long.toString(accountId)))
                .fetch(AUDIT_EVENT.ACTION)).contains("login.succeeded");
        assertThat(db.fetchCount(LOGIN_SESSION, LOGIN_SESSION.ACCOUNT_ID.eq(accountId))).isEqualTo(1);
    }

    @Test
    void aStateChangingCallWithTheCookieNeedsTheCsrfToken() {
        Browser browser = new Browser();
        browser.signIn(username, password);
        String body = "{\"name\":\"from the dashboard\",\"scopes\":[\"read\"]}";
        HttpRequest.Builder withoutToken = HttpRequest.newBuilder(uri("/api/v1/user/tokens")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        assertThat(browser.send(withoutToken).statusCode()).isEqualTo(403);

        browser.get("/api/v1/orgs");
        String xsrf = browser.cookie("XSRF-TOKEN");
        assertThat(xsrf).as("the XSRF-TOKEN cookie for scripts").isNotNull();
        HttpRequest.Builder withToken = HttpRequest.newBuilder(uri("/api/v1/user/tokens")).header("Content-Type", "application/json")
                .header("X-XSRF-TOKEN", xsrf).POST(HttpRequest.BodyPublishers.ofString(body));
        assertThat(browser.send(withToken).statusCode()).isEqualTo(201);
    }

    @Test
    void aWrongPasswordOrAForgedCookieGetsNothingAndFailuresAreAudited() {
        Browser browser = new Browser();
        HttpResponse<String> refused = browser.signIn(username, "wrong password!");
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(refused.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        assertThat(browser.cookie(SessionCookies.COOKIE)).isNull();
        assertThat(browser.signIn("nobody-" + username, password).headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        assertThat(db.select(AUDIT_EVENT.DETAIL).from(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("login.failed")).fetch(AUDIT_EVENT.DETAIL))
                .contains("password for '" + username + "'", "password for 'nobody-" + username + "'");
        assertThat(browser.form("/login", "username", username, "password", password).statusCode())
                .as("a login post without the CSRF token").isEqualTo(403);

        Browser forger = new Browser();
        forger.signIn(username, password);
        String genuine = forger.cookie(SessionCookies.COOKIE);
        String forged = genuine.substring(0, genuine.indexOf('.')) + "x" + genuine.substring(genuine.indexOf('.'));
        HttpRequest forgedRequest = HttpRequest.newBuilder(uri("/api/v1/orgs")).header("Cookie", SessionCookies.COOKIE + "=" + forged).build();
        assertThat(TestHttp.send(forgedRequest).statusCode()).isEqualTo(401);
        HttpRequest anonymousPage = HttpRequest.newBuilder(uri("/some-page")).build();
        assertThat(TestHttp.send(anonymousPage).statusCode())
                .as("a page without a session sends the browser to the login page").isEqualTo(302);
    }

    @Test
    void logoutEndsTheSessionEverywhere() {
        Browser browser = new Browser();
        browser.signIn(username, password);
        String session = browser.cookie(SessionCookies.COOKIE);
        browser.get("/login");
        Matcher csrf = CSRF_FIELD.matcher(browser.get("/login").body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> out = browser.form("/logout", "_csrf", csrf.group(1));
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/login?logout");
        HttpRequest replayed = HttpRequest.newBuilder(uri("/api/v1/orgs")).header("Cookie", SessionCookies.COOKIE + "=" + session).build();
        assertThat(TestHttp.send(replayed).statusCode()).as("the old cookie is dead").isEqualTo(401);
    }

    @Test
    void theFirstAdminIsCreatedOnceOnAServerWithoutAnAdminToken() {
        db.update(ACCOUNT).setNull(ACCOUNT.PASSWORD_HASH).execute();
        assertThat(firstRun.pending()).isTrue();
        assertThat(new Browser().get("/login").body()).as("the login page points to the setup").contains("href=\"/setup\"");
        long admin = firstRun.createAdmin(AdminBootstrap.ADMIN, "The Admin", "first admin password");
        assertThat(firstRun.pending()).isFalse();
        assertThat(new Browser().get("/login").body()).doesNotContain("href=\"/setup\"");
        assertThatThrownBy(() -> firstRun.createAdmin("intruder", "Intruder", "another password!")).isInstanceOf(IllegalStateException.class);
        var row = db.select(ACCOUNT.ADMIN, ACCOUNT.PASSWORD_HASH).from(ACCOUNT).where(ACCOUNT.ID.eq(admin)).fetchSingle();
        assertThat(row.value1()).isTrue();
        assertThat(row.value2()).startsWith("{bcrypt}");
        Browser browser = new Browser();
        assertThat(browser.signIn(AdminBootstrap.ADMIN, "first admin password").statusCode()).isEqualTo(302);
        assertThat(browser.get("/api/v1/admin/jobs").statusCode()).as("a signed-in admin uses the admin API").isEqualTo(200);
        assertThat(List.of(browser.get("/api/v1/accounts").statusCode())).containsExactly(200);
    }
}
