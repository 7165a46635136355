package dev.forgeline.identity.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.stereotype.Component;

import dev.forgeline.platform.SecretBox;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Keeps the pending OAuth authorization request (its state, nonce and PKCE verifier) in a sealed cookie for the few
 * seconds the provider takes, instead of a server session: the callback may land on any web process. AES-GCM under the
 * master key makes the cookie unreadable and unforgeable, so what it holds can be trusted when it comes back.
 */
@Component
class AuthorizationRequestCookie implements AuthorizationRequestRepository<OAuth2AuthorizationRequest> {

    static final String COOKIE = "forgeline_oauth";
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final SecretBox box;

    AuthorizationRequestCookie(SecretBox box) {
        this.box = box;
    }

    @Override
    public OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
                    return open(cookie.getValue());
                }
            }
        }
        return null;
    }

    @Override
    public void saveAuthorizationRequest(OAuth2AuthorizationRequest authorization, HttpServletRequest request, HttpServletResponse response) {
        if (authorization == null) {
            write(request, response, "", Duration.ZERO);
            return;
        }
        write(request, response, seal(authorization), LIFETIME);
    }

    @Override
    public OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request, HttpServletResponse response) {
        OAuth2AuthorizationRequest authorization = loadAuthorizationRequest(request);
        write(request, response, "", Duration.ZERO);
        return authorization;
    }

    private void write(HttpServletRequest request, HttpServletResponse response, String value, Duration maxAge) {
        // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
        response.addHeader("Set-Cookie", ResponseCookie.from(COOKIE, value).httpOnly(true).sameSite("Lax")
                .secure(request.isSecure()).path("/").maxAge(maxAge).build().toString());
    }

    private String seal(OAuth2AuthorizationRequest authorization) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(authorization);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                box.encrypt(Base64.getEncoder().encodeToString(bytes.toByteArray())).getBytes(StandardCharsets.US_ASCII));
    }

    /** A cookie that does not open (altered, or sealed under another key) is no pending login: the callback fails. */
    private OAuth2AuthorizationRequest open(String value) {
        try {
            String sealed = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII);
            byte[] serialized = Base64.getDecoder().decode(box.decrypt(sealed));
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized))) {
                return (OAuth2AuthorizationRequest) in.readObject();
            }
        } catch (RuntimeException | IOException | ClassNotFoundException unreadable) {
            return null;
        }
    }
}
