package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_REPOSITORY_SETTING;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import dev.forgeline.platform.ForgelineProperties;

/**
 * Which deployments count as production, per repository: environments matching its pattern (by default
 * production, prod or live) and, where configured, successful pipelines whose name matches.
 */
@Component
class ProductionEnvironments {

    record Rule(Pattern environments, Pattern pipelines) {
    }

    private final DSLContext db;
    private final Pattern defaultPattern;
    private final Map<Long, Rule> rules = new ConcurrentHashMap<>();

    ProductionEnvironments(DSLContext db, ForgelineProperties settings) {
        this.db = db;
        this.defaultPattern = Pattern.compile(settings.analytics().productionEnvironments());
    }

    Rule rule(long repositoryId) {
        return rules.computeIfAbsent(repositoryId, id -> db.selectFrom(AN_REPOSITORY_SETTING)
                .where(AN_REPOSITORY_SETTING.REPOSITORY_ID.eq(id))
                .fetchOptional()
                .map(r -> new Rule(Pattern.compile(r.getProductionPattern()),
                        r.getPipelinePattern() == null ? null : Pattern.compile(r.getPipelinePattern())))
                .orElse(new Rule(defaultPattern, null)));
    }

    boolean isProduction(long repositoryId, String source, String environment) {
        if (environment == null) {
            return false;
        }
        Rule rule = rule(repositoryId);
        return source.equals("pipeline")
                ? rule.pipelines() != null && rule.pipelines().matcher(environment).find()
                : rule.environments().matcher(environment).find();
    }

    /** Stores a repository's rule; it applies to past deployments at the next recompute. */
    void set(long repositoryId, String productionPattern, String pipelinePattern) {
        db.insertInto(AN_REPOSITORY_SETTING)
                .set(AN_REPOSITORY_SETTING.REPOSITORY_ID, repositoryId)
                .set(AN_REPOSITORY_SETTING.PRODUCTION_PATTERN, productionPattern)
                .set(AN_REPOSITORY_SETTING.PIPELINE_PATTERN, pipelinePattern)
                .onDuplicateKeyUpdate()
                .set(AN_REPOSITORY_SETTING.PRODUCTION_PATTERN, productionPattern)
                .set(AN_REPOSITORY_SETTING.PIPELINE_PATTERN, pipelinePattern)
                .execute();
        rules.remove(repositoryId);
    }

    void forget() {
        rules.clear();
    }
}
