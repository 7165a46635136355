package dev.forgeline.identity.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.springframework.http.ResponseCookie;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

import dev.forgeline.identity.Caller;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.Hmac;
import dev.forgeline.platform.SecretBox;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The browser session: an HttpOnly, SameSite=Lax cookie holding a random token and its HMAC under a key derived from
 * the master key. A forged or altered cookie is refused without touching the database; a genuine one is looked up in
 * {@code login_session}, so logout (and expiry) end it in every web process.
 */
@Component
class SessionCookies implements SecurityContextRepository {

    static final String COOKIE = "forgeline_session";
    private static final String SIGNED_IN_BY_COOKIE = SessionCookies.class.getName() + ".caller";

    private final LoginSessions sessions;
    private final byte[] signingKey;
    private final Duration lifetime;

    SessionCookies(LoginSessions sessions, SecretBox secrets, ForgelineProperties settings) {
        this.sessions = sessions;
        this.signingKey = secrets.derivedKey("session-cookie");
        this.lifetime = settings.identity().sessionLifetime();
    }

    /** The caller whose session cookie this request carries, if it is genuine and current. */
    Optional<Caller> caller(HttpServletRequest request) {
        return token(request).flatMap(token -> sessions.find(token, Instant.now()));
    }

    @Override
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return load(holder.getRequest());
    }

    @Override
    public org.springframework.security.core.context.DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        return new org.springframework.security.core.context.DeferredSecurityContext() {
            private SecurityContext loaded;

            @Override
            public SecurityContext get() {
                if (loaded == null) {
                    loaded = load(request);
                }
                return loaded;
            }

            @Override
            public boolean isGenerated() {
                return get().getAuthentication() == null;
            }
        };
    }

    private SecurityContext load(HttpServletRequest request) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        caller(request).ifPresent(caller -> {
            request.setAttribute(SIGNED_IN_BY_COOKIE, caller);
            context.setAuthentication(CallerAuthentication.of(caller));
        });
        return context;
    }

    /** A fresh sign-in (password or OAuth) starts a session; a request already signed in by cookie or token does not. */
    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        Authentication authentication = context.getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller
                && request.getAttribute(SIGNED_IN_BY_COOKIE) == null && request.getAttribute(BearerTokenFilter.BEARER) == null) {
            start(caller, request, response);
        }
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return token(request).isPresent();
    }

    void start(Caller caller, HttpServletRequest request, HttpServletResponse response) {
        String token = Tokens.generate("flb_");
        sessions.create(caller.accountId(), token, Instant.now().plus(lifetime));
        request.setAttribute(SIGNED_IN_BY_COOKIE, caller);
        write(response, request, token + "." + signature(token), lifetime);
    }

    void end(HttpServletRequest request, HttpServletResponse response) {
        token(request).ifPresent(sessions::delete);
        write(response, request, "", Duration.ZERO);
    }

    private void write(HttpServletResponse response, HttpServletRequest request, String value, Duration maxAge) {
        ResponseCookie cookie = ResponseCookie.from(COOKIE, value).httpOnly(true).sameSite("Lax").secure(request.isSecure())
                .path("/").maxAge(maxAge).build();
        response.addHeader("Set-Cookie", cookie.toString());
    }

    private Optional<String> token(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName())) {
                String value = cookie.getValue();
                int dot = value.lastIndexOf('.');
                if (dot > 0) {
                    String token = value.substring(0, dot);
                    byte[] presented = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
                    if (MessageDigest.isEqual(presented, signature(token).getBytes(StandardCharsets.US_ASCII))) {
                        return Optional.of(token);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private String signature(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hmac.sha256(signingKey, token.getBytes(StandardCharsets.UTF_8)));
    }

    static boolean present(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (COOKIE.equals(cookie.getName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
