package dev.forgeline.ingest.internal;

import static dev.forgeline.schema.Tables.CONNECTION;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import dev.forgeline.ingest.ForgeApiCredentials;
import dev.forgeline.platform.SecretBox;

/** Forge connections; the webhook secret of each is kept encrypted and decrypted once per process. */
@Repository
class Connections implements ForgeApiCredentials {

    record Connection(long id, Provider provider, String name, String baseUrl, OffsetDateTime createdAt) {
    }

    /** What a webhook needs to verify a delivery, kept in memory: the hot path reads no row for it. */
    record Verifier(long id, Provider provider, String secret) {
    }

    private final DSLContext db;
    private final SecretBox secrets;
    private final Map<Long, Verifier> verifiers = new ConcurrentHashMap<>();

    Connections(DSLContext db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    Connection create(Provider provider, String name, String secret, String baseUrl, String apiToken) {
        var row = db.insertInto(CONNECTION)
                .set(CONNECTION.PROVIDER, provider.id())
                .set(CONNECTION.NAME, name)
                .set(CONNECTION.SECRET_ENCRYPTED, secrets.encrypt(secret))
                .set(CONNECTION.BASE_URL, baseUrl)
                .set(CONNECTION.API_TOKEN_ENCRYPTED, apiToken == null ? null : secrets.encrypt(apiToken))
                .set(CONNECTION.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .returning().fetchSingle();
        return new Connection(row.getId(), provider, row.getName(), row.getBaseUrl(), row.getCreatedAt());
    }

    List<Connection> list() {
        return db.selectFrom(CONNECTION).orderBy(CONNECTION.ID).fetch(r ->
                new Connection(r.getId(), Provider.parse(r.getProvider()).orElseThrow(), r.getName(), r.getBaseUrl(), r.getCreatedAt()));
    }

    @Override
    public Optional<ForgeApi> of(long id) {
        return db.selectFrom(CONNECTION).where(CONNECTION.ID.eq(id)).fetchOptional()
                .map(r -> new ForgeApi(r.getId(), r.getProvider(), r.getBaseUrl(),
                        r.getApiTokenEncrypted() == null ? null : secrets.decrypt(r.getApiTokenEncrypted())));
    }

    Optional<Verifier> verifier(long id) {
        Verifier cached = verifiers.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Verifier> loaded = db.selectFrom(CONNECTION).where(CONNECTION.ID.eq(id)).fetchOptional()
                .map(r -> new Verifier(r.getId(), Provider.parse(r.getProvider()).orElseThrow(), secrets.decrypt(r.getSecretEncrypted())));
        loaded.ifPresent(v -> verifiers.put(id, v));
        return loaded;
    }
}
