package dev.forgeline.identity.internal;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.identity.PersonalTokens;

/** Goes through the tokens API's own code, so scopes, expiry and audit follow the same rules. */
@Component
class DashboardTokens implements PersonalTokens {

    private final TokensController api;

    DashboardTokens(TokensController api) {
        this.api = api;
    }

    @Override
    public List<Token> mine() {
        return api.list().stream().map(t -> new Token(t.id(), t.name(), t.scopes(), t.createdAt(), t.expiresAt(), t.lastUsedAt())).toList();
    }

    @Override
    public Created create(String name, List<String> scopes, Integer expiresInDays) {
        try {
            var created = api.create(new TokensController.NewToken(name, scopes, expiresInDays));
            return new Created(created.id(), created.name(), created.scopes(), created.expiresAt(), created.token());
        } catch (ResponseStatusException refused) {
            throw new IllegalArgumentException(refused.getReason(), refused);
        }
    }

    @Override
    public boolean revoke(long id) {
        try {
            api.revoke(id);
            return true;
        } catch (ResponseStatusException missing) {
            return false;
        }
    }
}
