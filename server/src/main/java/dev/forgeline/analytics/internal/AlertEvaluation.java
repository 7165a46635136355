package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_ALERT;
import static dev.forgeline.schema.Tables.AN_PERSON_DAY;
import static dev.forgeline.schema.Tables.AN_PULL_REQUEST;
import static dev.forgeline.schema.Tables.AN_SCORE_SNAPSHOT;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.sum;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.analytics.AlertsChanged;
import dev.forgeline.analytics.Metrics.PersonScore;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;

/**
 * Opens an alert for each condition that holds now and resolves the open ones whose condition cleared:
 * inactivity, pull requests waiting for a first review, overloaded reviewers and falling scores.
 */
@Component
class AlertEvaluation implements RecurringJob {

    static final int OVERLOAD_DAYS = 28;
    static final int MIN_TEAM_REVIEWS = 5;

    private final DSLContext db;
    private final Organisations organisations;
    private final MetricsReader metrics;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final ForgelineProperties.Analytics settings;
    private final ZoneId zone;

    AlertEvaluation(DSLContext db, Organisations organisations, MetricsReader metrics, TransactionTemplate transaction,
                    ApplicationEventPublisher events, ForgelineProperties settings) {
        this.db = db;
        this.organisations = organisations;
        this.metrics = metrics;
        this.transaction = transaction;
        this.events = events;
        this.settings = settings.analytics();
        this.zone = this.settings.timeZone();
    }

    @Override
    public String name() {
        return "analytics-alerts";
    }

    @Override
    public String description() {
        return "Opens and resolves alerts: inactivity, reviews waiting, overloaded reviewers, falling scores";
    }

    @Override
    public String defaultSchedule() {
        return "15m";
    }

    @Override
    public void run() {
        Instant now = Instant.now();
        for (Organisation org : organisations.all()) {
            transaction.executeWithoutResult(tx -> evaluate(org.id(), now));
        }
    }

    void evaluate(long organisationId, Instant now) {
        Set<Long> repos = metrics.organisationRepositories(organisationId);
        List<Person> people = organisations.people(organisationId);
        Map<String, String> conditions = new LinkedHashMap<>();
        if (!repos.isEmpty()) {
            inactivity(repos, people, now, conditions);
            reviewWait(repos, now, conditions);
            overload(organisationId, repos, people, now, conditions);
            fallingScore(organisationId, repos, people, now, conditions);
        }
        sync(organisationId, conditions, now);
    }

    private void inactivity(Set<Long> repos, List<Person> people, Instant now, Map<String, String> out) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        for (Person p : people) {
            Set<String> actors = MetricsReader.actors(p);
            if (actors.isEmpty()) {
                continue;
            }
            LocalDate last = db.select(max(AN_PERSON_DAY.ACTIVITY_DAY)).from(AN_PERSON_DAY)
                    .where(AN_PERSON_DAY.ACTOR.in(actors)).and(AN_PERSON_DAY.REPOSITORY_ID.in(repos))
                    .and(AN_PERSON_DAY.ACTIVITY_DAY.le(today)).fetchOne(0, LocalDate.class);
            if (last == null) {
                continue; // never active here: nothing to have stopped
            }
            int idle = workingDaysBetween(last, today);
            if (idle >= settings.inactivityWorkingDays()) {
                out.put("inactivity|person:" + p.accountId(), p.username() + ": no commits, pull requests, reviews or comments for "
                        + idle + " working days (last on " + last + ")");
            }
        }
    }

    /** Working days (Monday to Friday) after {@code last} up to and including {@code today}. */
    static int workingDaysBetween(LocalDate last, LocalDate today) {
        int days = 0;
        for (LocalDate d = last.plusDays(1); !d.isAfter(today); d = d.plusDays(1)) {
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days++;
            }
        }
        return days;
    }

    private void reviewWait(Set<Long> repos, Instant now, Map<String, String> out) {
        var pr = AN_PULL_REQUEST;
        Duration wait = settings.reviewWait();
        for (var r : db.select(pr.REPOSITORY_ID, pr.NUMBER, pr.AUTHOR, pr.CREATED_AT).from(pr)
                .where(pr.STATE.eq("open")).and(pr.CREATED_AT.lt(now.minus(wait).atOffset(ZoneOffset.UTC)))
                .and(pr.REPOSITORY_ID.in(repos)).and(pr.DRAFT.isFalse()).and(pr.FIRST_REVIEW_AT.isNull()).fetch()) {
            long hours = Duration.between(r.value4().toInstant(), now).toHours();
            out.put("review-wait|pull-request:" + r.value1() + "#" + r.value2(), "pull request #" + r.value2() + " by "
                    + r.value3() + " opened " + r.value4().toInstant() + " has waited " + hours + " h for a first review");
        }
    }

    private void overload(long organisationId, Set<Long> repos, List<Person> people, Instant now, Map<String, String> out) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        for (Team team : organisations.teams(organisationId)) {
            Set<Long> members = organisations.teamMembers(team.id());
            if (members.size() < 2) {
                continue;
            }
            Map<Long, Long> given = new HashMap<>();
            long total = 0;
            for (Person p : people) {
                if (!members.contains(p.accountId()) || MetricsReader.actors(p).isEmpty()) {
                    continue;
                }
                Long reviews = db.select(sum(AN_PERSON_DAY.REVIEWS_GIVEN)).from(AN_PERSON_DAY)
                        .where(AN_PERSON_DAY.ACTOR.in(MetricsReader.actors(p))).and(AN_PERSON_DAY.REPOSITORY_ID.in(repos))
                        .and(AN_PERSON_DAY.ACTIVITY_DAY.between(today.minusDays(OVERLOAD_DAYS - 1), today))
                        .fetchOne(0, Long.class);
                long n = reviews == null ? 0 : reviews;
                given.put(p.accountId(), n);
                total += n;
            }
            if (total < MIN_TEAM_REVIEWS) {
                continue;
            }
            double fair = 1.0 / members.size();
            for (Person p : people) {
                long n = given.getOrDefault(p.accountId(), 0L);
                double share = (double) n / total;
                if (share > settings.reviewerOverload() * fair) {
                    out.put("reviewer-overload|person:" + p.accountId() + "/team:" + team.id(), p.username() + " gave " + n + " of "
                            + total + " reviews in team " + team.slug() + " over " + OVERLOAD_DAYS + " days ("
                            + Math.round(share * 100) + " %; an even share is " + Math.round(fair * 100) + " %)");
                }
            }
        }
    }

    private void fallingScore(long organisationId, Set<Long> repos, List<Person> people, Instant now, Map<String, String> out) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        Scope window = new Scope(repos, null, today.minusWeeks(MetricsReader.SCORE_WEEKS).plusDays(1), today, zone);
        for (PersonScore score : metrics.scores(organisationId, window, people, people, null)) {
            var earlier = db.select(AN_SCORE_SNAPSHOT.SCORE, AN_SCORE_SNAPSHOT.WEEK).from(AN_SCORE_SNAPSHOT)
                    .where(AN_SCORE_SNAPSHOT.ORGANISATION_ID.eq(organisationId))
                    .and(AN_SCORE_SNAPSHOT.SUBJECT.eq("person:" + score.accountId()))
                    .and(AN_SCORE_SNAPSHOT.WEEK.le(today.minusWeeks(4)))
                    .orderBy(AN_SCORE_SNAPSHOT.WEEK.desc()).limit(1).fetchOne();
            if (earlier != null && earlier.value1() - score.score().score() >= settings.scoreDrop()) {
                out.put("falling-score|person:" + score.accountId(), score.username() + "'s reliability score fell from "
                        + earlier.value1() + " (week of " + earlier.value2() + ") to " + score.score().score());
            }
        }
    }

    private void sync(long organisationId, Map<String, String> conditions, Instant now) {
        var open = db.selectFrom(AN_ALERT).where(AN_ALERT.ORGANISATION_ID.eq(organisationId)).and(AN_ALERT.RESOLVED_AT.isNull()).fetch();
        var at = now.atOffset(ZoneOffset.UTC);
        int resolved = 0;
        Set<String> subjects = new HashSet<>();
        for (var alert : open) {
            String key = alert.getKind() + "|" + alert.getSubject();
            String evidence = conditions.remove(key);
            if (evidence == null) {
                alert.setResolvedAt(at);
                alert.store();
                resolved++;
                subjects.add(alert.getSubject());
            } else if (!evidence.equals(alert.getEvidence())) {
                alert.setEvidence(evidence);
                alert.store();
            }
        }
        conditions.forEach((key, evidence) -> {
            int bar = key.indexOf('|');
            subjects.add(key.substring(bar + 1));
            db.insertInto(AN_ALERT).set(AN_ALERT.ORGANISATION_ID, organisationId).set(AN_ALERT.KIND, key.substring(0, bar))
                    .set(AN_ALERT.SUBJECT, key.substring(bar + 1)).set(AN_ALERT.EVIDENCE, evidence).set(AN_ALERT.OPENED_AT, at)
                    .execute();
        });
        if (!conditions.isEmpty() || resolved > 0) {
            events.publishEvent(new AlertsChanged(organisationId, conditions.size(), resolved, Set.copyOf(subjects)));
        }
    }
}
