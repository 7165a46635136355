package dev.forgeline.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.user.DefaultOAuth2User;

import dev.forgeline.identity.internal.ExternalLogin.Proven;

/** What each provider's user answer proves, as GitHub's /user and GitLab's /api/v4/user shape it. */
class ProvenIdentityTest {

    private static DefaultOAuth2User user(Map<String, Object> attributes, String nameAttribute) {
        return new DefaultOAuth2User(List.of(new SimpleGrantedAuthority("OAUTH2_USER")), attributes, nameAttribute);
    }

    @Test
    void githubProvesTheLoginAndThePublicEmail() {
        Proven proven = Proven.of(LoginClients.GITHUB, user(Map.of("login", "octocat", "id", 583231, "name", "The Octocat",
                "email", "octocat@github.com"), "id"));
        assertThat(proven).isEqualTo(new Proven("github", "octocat", "octocat@github.com", "The Octocat"));
    }

    @Test
    void gitlabProvesTheUsername() {
        Proven proven = Proven.of(LoginClients.GITLAB, user(Map.of("username", "jsmith", "id", 1, "name", "John Smith"), "username"));
        assertThat(proven).isEqualTo(new Proven("gitlab", "jsmith", null, "John Smith"));
    }

    @Test
    void anOpenIdProviderProvesItsSubjectAndOnlyAVerifiedEmail() {
        Proven unverified = Proven.of(LoginClients.OIDC, user(Map.of("sub", "248289761001", "email", "jane@example.com",
                "email_verified", false, "preferred_username", "jane"), "sub"));
        assertThat(unverified).isEqualTo(new Proven("oidc", "248289761001", null, "jane"));
        Proven verified = Proven.of(LoginClients.OIDC, user(Map.of("sub", "248289761001", "email", "jane@example.com",
                "email_verified", true, "name", "Jane Doe"), "sub"));
        assertThat(verified.email()).isEqualTo("jane@example.com");
    }
}
