package dev.forgeline.activity.internal;

import static dev.forgeline.schema.Tables.FORGE_NAMESPACE;
import static dev.forgeline.schema.Tables.FORGE_USER;

import java.time.OffsetDateTime;
import java.util.List;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.forgeline.platform.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The forge users and namespaces deliveries have named: what an admin links to people and organisations. */
@RestController
@RequestMapping("/api/v1/admin")
@Tag(name = "Forge users")
class ForgePeopleController {

    private final DSLContext db;

    ForgePeopleController(DSLContext db) {
        this.db = db;
    }

    record ForgeUserView(String provider, String login, String forgeId, String name, String email, OffsetDateTime firstSeenAt) {
    }

    record NamespaceView(String provider, String path, String forgeId, String kind, String name, OffsetDateTime firstSeenAt) {
    }

    @GetMapping("/forge-users")
    @Operation(summary = "Forge users seen in deliveries; q matches login, name or email")
    List<ForgeUserView> forgeUsers(@RequestParam(required = false) String provider, @RequestParam(required = false) String q,
                                   @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") int offset) {
        Paging.check(limit, offset);
        Condition where = provider == null ? DSL.trueCondition() : FORGE_USER.PROVIDER.eq(provider);
        if (q != null && !q.isBlank()) {
            where = where.and(FORGE_USER.LOGIN.containsIgnoreCase(q).or(FORGE_USER.NAME.containsIgnoreCase(q))
                    .or(FORGE_USER.EMAIL.containsIgnoreCase(q)));
        }
        return db.selectFrom(FORGE_USER).where(where).orderBy(FORGE_USER.PROVIDER, FORGE_USER.LOGIN).limit(limit).offset(offset)
                .fetch(r -> new ForgeUserView(r.getProvider(), r.getLogin(), r.getForgeId(), r.getName(), r.getEmail(), r.getFirstSeenAt()));
    }

    @GetMapping("/namespaces")
    @Operation(summary = "Organisations, groups and users that own repositories")
    List<NamespaceView> namespaces(@RequestParam(required = false) String provider,
                                   @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") int offset) {
        Paging.check(limit, offset);
        Condition where = provider == null ? DSL.trueCondition() : FORGE_NAMESPACE.PROVIDER.eq(provider);
        return db.selectFrom(FORGE_NAMESPACE).where(where).orderBy(FORGE_NAMESPACE.PROVIDER, FORGE_NAMESPACE.PATH)
                .limit(limit).offset(offset)
                .fetch(r -> new NamespaceView(r.getProvider(), r.getPath(), r.getForgeId(), r.getKind(), r.getName(), r.getFirstSeenAt()));
    }
}
