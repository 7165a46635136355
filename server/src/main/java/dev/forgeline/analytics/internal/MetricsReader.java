package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_INCIDENT;
import static dev.forgeline.schema.Tables.AN_PERSON_DAY;
import static dev.forgeline.schema.Tables.AN_PULL_REQUEST;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_DAY;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.sum;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import jakarta.annotation.PreDestroy;

import org.jooq.CaseConditionStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Row2;
import org.jooq.conf.SettingsTools;
import org.jooq.conf.StatementType;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;

import dev.forgeline.analytics.Metrics;
import dev.forgeline.analytics.internal.OrganisationDirectory.Directory;
import dev.forgeline.analytics.internal.Tally.P;
import dev.forgeline.analytics.internal.Tally.R;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.platform.ForgelineProperties;

/** Answers every metric from the daily aggregates, and from the facts where a median needs each sample. */
@Service
class MetricsReader implements Metrics {

    static final int DEFAULT_DAYS = 28;
    static final int MAX_DAYS = 732;
    static final int SCORE_WEEKS = 8;

    static final int MAX_CACHED_READS = 10_000;

    private final DSLContext db;
    private final OrganisationDirectory directory;
    private final ZoneId zone;
    private final long ttlNanos;
    private final Map<ReadKey, CachedRead> reads = new ConcurrentHashMap<>();
    private final Set<ReadKey> refreshing = ConcurrentHashMap.newKeySet();
    private final ExecutorService refresher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(64), Thread.ofPlatform().name("metrics-refresh").daemon().factory());

    MetricsReader(DSLContext db, OrganisationDirectory directory, ForgelineProperties settings) {
        // Values are written into the SQL, not bound. PostgreSQL plans a statement prepared with bind values once for
        // any values after its fifth run, and for the long IN lists of a scope (an organisation's repositories, a
        // team's forge identities) that generic plan reads the whole table: 200-300 ms where a plan for the values
        // at hand takes 15 ms (docs/metrics.md, "How it is computed"). Planning each read costs well under a millisecond.
        this.db = db.configuration()
                .derive(SettingsTools.clone(db.settings()).withStatementType(StatementType.STATIC_STATEMENT)).dsl();
        this.directory = directory;
        this.zone = settings.analytics().timeZone();
        this.ttlNanos = settings.analytics().answerTtl().toNanos();
    }

    // Answers kept in memory -------------------------------------------------------------------------------------

    /** The filter with its window resolved to dates, so that "the last 28 days" asked tomorrow is another read. */
    private record ReadKey(String metric, long organisationId, Filter filter) {
    }

    private record CachedRead(Object value, OrganisationDirectory.Version version, long at) {
    }

    /**
     * A dashboard asks the same few reads over and over: an answer is reused while nothing this process saw could
     * change it (an event of the organisation's repositories, a change of its people or teams, a recompute), for
     * at most forgeline.analytics.answer-ttl. One asked again in the second half of that time is computed afresh
     * in the background, so that an answer in steady use does not expire in a reader's face. Callers filter what
     * the caller may see after this.
     */
    @SuppressWarnings("unchecked")
    private <T> T read(String metric, long organisationId, Filter filter, BiFunction<Directory, Filter, T> compute) {
        Filter resolved = withDates(filter);
        ReadKey key = new ReadKey(metric, organisationId, resolved);
        Directory org = directory.of(organisationId);
        // Taken after the directory is held: an event recorded from now on changes the version.
        OrganisationDirectory.Version version = directory.version(organisationId);
        CachedRead hit = reads.get(key);
        long age = hit == null ? Long.MAX_VALUE : System.nanoTime() - hit.at();
        if (hit != null && hit.version().equals(version) && age < ttlNanos) {
            if (age > ttlNanos / 2 && refreshing.add(key)) {
                refreshInBackground(key, compute);
            }
            return (T) hit.value();
        }
        T value = compute.apply(org, resolved);
        store(key, value, version);
        return value;
    }

    /** The filter with its window filled in: up to today, the last DEFAULT_DAYS days unless given. */
    private Filter withDates(Filter filter) {
        LocalDate to = filter.to() != null ? filter.to() : LocalDate.now(zone);
        LocalDate from = filter.from() != null ? filter.from() : to.minusDays(DEFAULT_DAYS - 1);
        return new Filter(filter.teamId(), filter.personId(), filter.repositoryId(), from, to);
    }

    private <T> void refreshInBackground(ReadKey key, BiFunction<Directory, Filter, T> compute) {
        try {
            refresher.execute(() -> {
                try {
                    Directory org = directory.of(key.organisationId());
                    OrganisationDirectory.Version version = directory.version(key.organisationId());
                    store(key, compute.apply(org, key.filter()), version);
                } catch (RuntimeException e) {
                    reads.remove(key); // the next read computes it and answers the error
                } finally {
                    refreshing.remove(key);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshing.remove(key); // the queue is full: it expires and is computed by a reader
        }
    }

    private void store(ReadKey key, Object value, OrganisationDirectory.Version version) {
        if (ttlNanos > 0) {
            if (reads.size() >= MAX_CACHED_READS) {
                reads.clear();
            }
            reads.put(key, new CachedRead(value, version, System.nanoTime()));
        }
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }

    // Scope ----------------------------------------------------------------------------------------------------

    Set<Long> organisationRepositories(long organisationId) {
        return new HashSet<>(directory.of(organisationId).repositories());
    }

    /** The forge identities of a person, as analytics keys them. */
    static Set<String> actors(Person person) {
        Set<String> actors = new LinkedHashSet<>();
        for (ForgeIdentity identity : person.identities()) {
            if (identity.login() != null && !ForgeIdentity.ANY_PROVIDER.equals(identity.provider())) {
                actors.add(identity.provider() + ":" + identity.login().toLowerCase(Locale.ROOT));
            }
            if (identity.email() != null) {
                actors.add("email:" + identity.email().toLowerCase(Locale.ROOT));
            }
        }
        return actors;
    }

    private Scope scope(Directory org, Filter filter, boolean forDora) {
        if (filter.teamId() != null && filter.personId() != null) {
            throw new IllegalArgumentException("give a team or a person, not both");
        }
        Filter dated = withDates(filter);
        LocalDate to = dated.to();
        LocalDate from = dated.from();
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from must not be after to");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw new IllegalArgumentException("the window is at most " + MAX_DAYS + " days");
        }
        Set<Long> repos = new HashSet<>(org.repositories());
        Set<String> actors = null;
        if (filter.teamId() != null) {
            Team team = org.team(filter.teamId()).orElseThrow(() -> new NoSuchElementException("no such team"));
            if (forDora) {
                repos.retainAll(org.teamRepositories().getOrDefault(team.id(), Set.of()));
            } else {
                actors = new HashSet<>();
                for (long member : org.members(team.id())) {
                    actors.addAll(org.actorsOf().getOrDefault(member, Set.of()));
                }
            }
        }
        if (filter.personId() != null) {
            if (forDora) {
                throw new IllegalArgumentException("DORA is measured per repository, team or organisation, not per person");
            }
            actors = org.actorsOf().get(person(org, filter.personId()).accountId());
        }
        if (filter.repositoryId() != null) {
            if (!org.repositories().contains(filter.repositoryId())) {
                throw new NoSuchElementException("no such repository");
            }
            repos.retainAll(Set.of(filter.repositoryId()));
        }
        return new Scope(repos, actors, from, to, zone);
    }

    private static Person person(Directory org, long accountId) {
        return org.person(accountId).orElseThrow(() -> new NoSuchElementException("no such person"));
    }

    /** The rollup's rows of the scope's repositories, and of its people where it names them; any day or week. */
    private static Condition inScope(Aggregates.Rollup rollup, Scope s) {
        Condition c = rollup.table().field("repository_id", Long.class).in(s.repositories());
        return s.actors() == null ? c : c.and(rollup.table().field("actor", String.class).in(s.actors()));
    }

    private static Condition mergedIn(Scope s) {
        Condition c = AN_PULL_REQUEST.REPOSITORY_ID.in(s.repositories()).and(AN_PULL_REQUEST.STATE.eq("merged"))
                .and(AN_PULL_REQUEST.MERGED_AT.ge(s.start())).and(AN_PULL_REQUEST.MERGED_AT.lt(s.end()));
        return s.actors() == null ? c : c.and(AN_PULL_REQUEST.AUTHOR.in(s.actors()));
    }

    /** The median of the column's values, as percentile_cont computes it: the mean of the two middle ones for an even count. */
    static Field<BigDecimal> median(Field<Long> column) {
        return DSL.percentileCont(0.5).withinGroupOrderBy(column);
    }

    private static Double number(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }

    private static long value(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static Double hours(long seconds, long count) {
        return count == 0 ? null : seconds / 3600.0 / count;
    }

    // Summary --------------------------------------------------------------------------------------------------

    @Override
    public Summary summary(long organisationId, Filter filter) {
        return read("summary", organisationId, filter, (org, f) -> summary(scope(org, f, false)));
    }

    private Summary summary(Scope s) {
        if (s.actors() == null) {
            long[] r = windowSums(Aggregates.REPOSITORY_DAY, Aggregates.REPOSITORY_WEEK, s);
            long merged = r[R.PRS_MERGED.ordinal()];
            int reviews = (int) r[R.REVIEWS.ordinal()];
            return new Summary(s.window(), (int) r[R.PRS_OPENED.ordinal()], (int) merged, (int) r[R.PRS_CLOSED.ordinal()],
                    hours(r[R.MERGE_SECONDS.ordinal()], merged), merged == 0 ? null : (double) r[R.SIZE_LINES.ordinal()] / merged,
                    (int) r[R.PRS_REVIEWED.ordinal()], reviews, reviews,
                    hours(r[R.PICKUP_SECONDS.ordinal()], r[R.PICKUP_COUNT.ordinal()]),
                    merged == 0 ? null : (double) r[R.REVIEWED_BY_OTHERS.ordinal()] / merged,
                    (int) r[R.SELF_MERGED_UNREVIEWED.ordinal()], (int) r[R.COMMITS.ordinal()], r[R.ADDITIONS.ordinal()],
                    r[R.DELETIONS.ordinal()], (int) r[R.COMMENTS.ordinal()], (int) r[R.DEPLOYMENTS.ordinal()]);
        }
        long[] people = windowSums(Aggregates.PERSON_DAY, Aggregates.PERSON_WEEK, s);
        // The people's own pull requests: counts that daily rows per person do not keep, summed in the database.
        var pr = AN_PULL_REQUEST;
        Condition reviewedByOthers = pr.FIRST_REVIEW_AT.isNotNull().and(pr.FIRST_REVIEW_AT.le(pr.MERGED_AT));
        var own = db.select(count(), sum(coalesce(pr.ADDITIONS, 0).plus(coalesce(pr.DELETIONS, 0))), sum(pr.PICKUP_SECONDS),
                        count(pr.PICKUP_SECONDS), sum(DSL.when(reviewedByOthers, 1).otherwise(0)),
                        sum(DSL.when(reviewedByOthers.not().and(pr.AUTHOR.eq(pr.MERGED_BY)), 1).otherwise(0)))
                .from(pr).where(mergedIn(s)).fetchOne();
        int closed = db.fetchCount(pr, pr.REPOSITORY_ID.in(s.repositories()).and(pr.AUTHOR.in(s.actors()))
                .and(pr.STATE.eq("closed")).and(pr.CLOSED_AT.ge(s.start())).and(pr.CLOSED_AT.lt(s.end())));
        int n = own.value1();
        long size = value(own.value2());
        long pickup = value(own.value3());
        int pickups = own.value4();
        int reviewed = (int) value(own.value5());
        int selfMerged = (int) value(own.value6());
        long merged = people[P.PRS_MERGED.ordinal()];
        return new Summary(s.window(), (int) people[P.PRS_OPENED.ordinal()], (int) merged, closed,
                hours(people[P.MERGE_SECONDS.ordinal()], merged), n == 0 ? null : (double) size / n,
                (int) people[P.PRS_REVIEWED.ordinal()], (int) people[P.REVIEWS_GIVEN.ordinal()],
                (int) people[P.REVIEWS_RECEIVED.ordinal()], hours(pickup, pickups), n == 0 ? null : (double) reviewed / n,
                selfMerged, (int) people[P.COMMITS.ordinal()], people[P.ADDITIONS.ordinal()], people[P.DELETIONS.ordinal()],
                (int) people[P.COMMENTS.ordinal()], null);
    }

    /**
     * The sums of the rollup's columns over the scope's window: its whole weeks (Monday to Sunday) from the weekly rows,
     * and only the days before and after them from the daily rows. A year reads 52 weekly rows and at most 12 daily
     * ones per key (repository, or person and repository) instead of 365.
     */
    private long[] windowSums(Aggregates.Rollup days, Aggregates.Rollup weeks, Scope s) {
        LocalDate firstWeek = s.from().with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
        LocalDate afterWeeks = Tally.monday(s.to().plusDays(1));
        long[] sums = new long[days.columns().size()];
        if (firstWeek.isBefore(afterWeeks)) {
            addSums(sums, weeks, weeks.period().between(firstWeek, afterWeeks.minusWeeks(1)), s);
            Condition before = days.period().ge(s.from()).and(days.period().lt(firstWeek));
            Condition after = days.period().ge(afterWeeks).and(days.period().le(s.to()));
            addSums(sums, days, before.or(after), s);
        } else {
            addSums(sums, days, days.period().between(s.from(), s.to()), s);
        }
        return sums;
    }

    private void addSums(long[] sums, Aggregates.Rollup rollup, Condition period, Scope s) {
        var row = db.select(rollup.columns().stream().map(DSL::sum).toList()).from(rollup.table())
                .where(inScope(rollup, s)).and(period).fetchOne();
        for (int i = 0; i < sums.length; i++) {
            sums[i] += value(row.get(i));
        }
    }

    // Cycle time -----------------------------------------------------------------------------------------------

    @Override
    public CycleTime cycleTime(long organisationId, Filter filter) {
        return read("cycle-time", organisationId, filter, (org, f) -> cycleTime(scope(org, f, false)));
    }

    private CycleTime cycleTime(Scope s) {
        var pr = AN_PULL_REQUEST;
        List<Field<Long>> spans = List.of(pr.CODING_SECONDS, pr.PICKUP_SECONDS, pr.REVIEW_SECONDS, pr.DEPLOY_SECONDS,
                pr.CYCLE_SECONDS, pr.MERGE_SECONDS);
        // Each span's count, median and sum over the window's merged pull requests, in one pass in the database.
        List<Field<?>> fields = new ArrayList<>(List.of(count()));
        for (Field<Long> span : spans) {
            fields.addAll(List.of(count(span), median(span), sum(span)));
        }
        var row = db.select(fields).from(pr).where(mergedIn(s)).fetchOne();
        List<Span> out = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            int samples = ((Number) row.get(1 + 3 * i)).intValue();
            Double median = number(row.get(2 + 3 * i));
            long total = value(row.get(3 + 3 * i));
            out.add(samples == 0 ? new Span(0, null, null) : new Span(samples, median / 3600.0, (double) total / samples / 3600.0));
        }
        return new CycleTime(s.window(), ((Number) row.get(0)).intValue(), out.get(0), out.get(1), out.get(2), out.get(3),
                out.get(4), out.get(5));
    }

    /** The middle value, or the mean of the two middle values. */
    static double median(List<? extends Number> values) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    // DORA -----------------------------------------------------------------------------------------------------

    @Override
    public Dora dora(long organisationId, Filter filter) {
        return read("dora", organisationId, filter, (org, f) -> dora(scope(org, f, true)));
    }

    private Dora dora(Scope s) {
        var r = AN_REPOSITORY_DAY;
        Condition days = r.REPOSITORY_ID.in(s.repositories()).and(r.ACTIVITY_DAY.between(s.from(), s.to()));
        // One pass over the window's rows: each day with deployments, and the day's counts.
        List<LocalDate> deploymentDays = new ArrayList<>();
        long deployments = 0;
        long failed = 0;
        for (var day : db.select(r.ACTIVITY_DAY, sum(r.DEPLOYMENTS), sum(r.FAILED_DEPLOYMENTS)).from(r).where(days)
                .and(r.DEPLOYMENTS.gt(0)).groupBy(r.ACTIVITY_DAY).fetch()) {
            deploymentDays.add(day.value1());
            deployments += value(day.value2());
            failed += value(day.value3());
        }
        double perWeek = medianPerPeriod(deploymentDays, s, 7);
        double perMonth = medianPerPeriod(deploymentDays, s, 30);
        Band band = perWeek >= 3 ? Band.ELITE : perWeek >= 1 ? Band.HIGH : perMonth >= 1 ? Band.MEDIUM : Band.LOW;

        var pr = AN_PULL_REQUEST;
        var lead = db.select(count(pr.LEAD_SECONDS), median(pr.LEAD_SECONDS)).from(pr)
                .where(pr.REPOSITORY_ID.in(s.repositories())).and(pr.DEPLOYED_AT.ge(s.start())).and(pr.DEPLOYED_AT.lt(s.end()))
                .fetchOne();
        int deployedPullRequests = lead.value1();
        var i = AN_INCIDENT;
        Condition incidents = i.REPOSITORY_ID.in(s.repositories()).and(i.IS_INCIDENT.isTrue())
                .and(i.CREATED_AT.ge(s.start())).and(i.CREATED_AT.lt(s.end()));
        List<Long> recoveries = new ArrayList<>();
        for (var row : db.select(i.DEPLOYMENT_FINISHED_AT, i.RESOLVED_AT).from(i).where(incidents)
                .and(i.DEPLOYMENT_FINISHED_AT.isNotNull()).and(i.RESOLVED_AT.isNotNull()).fetch()) {
            recoveries.add(Contributions.seconds(row.value1().toInstant(), row.value2().toInstant()));
        }
        return new Dora(s.window(), (int) deployments, deploymentDays.size(), perWeek, band,
                deployedPullRequests == 0 ? null : lead.value2().doubleValue() / 3600.0, deployedPullRequests,
                deployments == 0 ? null : (double) failed / deployments, (int) failed,
                recoveries.isEmpty() ? null : median(recoveries) / 3600.0, db.fetchCount(i, incidents));
    }

    /** Median count of deployment days per period of the window, periods counted back from its last day. */
    static double medianPerPeriod(List<LocalDate> days, Scope s, int periodDays) {
        long windowDays = ChronoUnit.DAYS.between(s.from(), s.to()) + 1;
        int periods = (int) Math.max(1, windowDays / periodDays);
        long[] counts = new long[periods];
        for (LocalDate day : days) {
            int index = (int) (ChronoUnit.DAYS.between(day, s.to()) / periodDays);
            if (index < periods) {
                counts[index]++;
            }
        }
        List<Long> list = new ArrayList<>();
        for (long c : counts) {
            list.add(c);
        }
        return median(list);
    }

    // Daily ----------------------------------------------------------------------------------------------------

    @Override
    public List<Day> daily(long organisationId, Filter filter) {
        return read("daily", organisationId, filter, (org, f) -> List.copyOf(daily(scope(org, f, false))));
    }

    private List<Day> daily(Scope s) {
        if (s.actors() == null) {
            var r = AN_REPOSITORY_DAY;
            return db.select(r.ACTIVITY_DAY, sum(r.PRS_OPENED), sum(r.PRS_MERGED), sum(r.PRS_REVIEWED), sum(r.MERGE_SECONDS),
                            sum(r.ADDITIONS), sum(r.DELETIONS), sum(r.COMMITS), sum(r.REVIEWS), sum(r.COMMENTS))
                    .from(r).where(r.REPOSITORY_ID.in(s.repositories())).and(r.ACTIVITY_DAY.between(s.from(), s.to()))
                    .groupBy(r.ACTIVITY_DAY).orderBy(r.ACTIVITY_DAY)
                    .fetch(x -> new Day(x.value1(), (int) value(x.value2()), (int) value(x.value3()), (int) value(x.value4()),
                            hours(value(x.value5()), value(x.value3())), value(x.value6()), value(x.value7()),
                            (int) value(x.value8()), (int) value(x.value9()), (int) value(x.value10())));
        }
        var p = AN_PERSON_DAY;
        return db.select(p.ACTIVITY_DAY, sum(p.PRS_OPENED), sum(p.PRS_MERGED), sum(p.PRS_REVIEWED), sum(p.MERGE_SECONDS),
                        sum(p.ADDITIONS), sum(p.DELETIONS), sum(p.COMMITS), sum(p.REVIEWS_GIVEN), sum(p.COMMENTS))
                .from(p).where(inScope(Aggregates.PERSON_DAY, s)).and(p.ACTIVITY_DAY.between(s.from(), s.to()))
                .groupBy(p.ACTIVITY_DAY).orderBy(p.ACTIVITY_DAY)
                .fetch(r -> new Day(r.value1(), (int) value(r.value2()), (int) value(r.value3()), (int) value(r.value4()),
                        hours(value(r.value5()), value(r.value3())), value(r.value6()), value(r.value7()),
                        (int) value(r.value8()), (int) value(r.value9()), (int) value(r.value10())));
    }

    // Reliability ----------------------------------------------------------------------------------------------

    @Override
    public Reliability reliability(long organisationId, Filter filter) {
        return read("reliability", organisationId, filter, this::reliability);
    }

    private Reliability reliability(Directory org, Filter filter) {
        Scope s = scope(org, filter, false);
        List<Person> people = org.people();
        List<Person> subjects;
        if (filter.personId() != null) {
            subjects = List.of(person(org, filter.personId()));
        } else if (filter.teamId() != null) {
            Set<Long> members = org.members(filter.teamId());
            subjects = people.stream().filter(p -> members.contains(p.accountId())).toList();
        } else {
            subjects = people;
        }
        LocalDate to = s.to();
        LocalDate from = to.minusWeeks(SCORE_WEEKS).plusDays(1);
        Scope window = new Scope(s.repositories(), null, from, to, zone);
        List<PersonScore> scores = scores(window, people, subjects, referenceTeams(org, filter.teamId(), people));
        return new Reliability(window.window(), mean(scores.stream().map(PersonScore::score).toList()), scores);
    }

    /** Weekly figures of one person over the score window; the median merge time is null without a merge. */
    record Weeks(long[] merged, long[] activity, long reviewsGiven, Double medianMergeSeconds) {
    }

    List<PersonScore> scores(long organisationId, Scope window, List<Person> people, List<Person> subjects, Long teamId) {
        return scores(window, people, subjects, referenceTeams(directory.of(organisationId), teamId, people));
    }

    private List<PersonScore> scores(Scope window, List<Person> people, List<Person> subjects, Map<Long, Collection<Long>> teams) {
        // Only the subjects and the people they are compared with are read: a team's score reads its members only.
        Set<Long> needed = new HashSet<>();
        for (Person p : subjects) {
            needed.add(p.accountId());
            needed.addAll(teams.get(p.accountId()));
        }
        Map<String, Long> personOfActor = new HashMap<>();
        for (Person p : people) {
            actors(p).forEach(a -> personOfActor.putIfAbsent(a, p.accountId()));
        }
        personOfActor.values().retainAll(needed);
        Map<Long, Weeks> weeks = new HashMap<>();
        for (Person p : people) {
            weeks.put(p.accountId(), new Weeks(new long[SCORE_WEEKS], new long[SCORE_WEEKS], 0, null));
        }
        if (!personOfActor.isEmpty() && !window.repositories().isEmpty()) {
            // Summed and grouped per person and week in the database, which maps each forge identity to its person
            // through a table of values: a few rows per person come back, not every day of every identity.
            var who = DSL.values(personOfActor.entrySet().stream().map(e -> DSL.row(e.getKey(), e.getValue()))
                    .toArray(Row2[]::new)).as("who", "actor", "person");
            Field<String> whoActor = who.field("actor", String.class);
            Field<Long> whoPerson = who.field("person", Long.class);
            var d = AN_PERSON_DAY;
            Field<Long> activity = d.COMMITS.plus(d.PRS_OPENED).plus(d.PRS_MERGED).plus(d.REVIEWS_GIVEN).plus(d.COMMENTS).cast(Long.class);
            Field<Integer> weekIndex = scoreWeek(d.ACTIVITY_DAY, window.to()).as("week");
            Map<Long, Long> reviews = new HashMap<>();
            for (var r : db.select(whoPerson, weekIndex, sum(d.PRS_MERGED), sum(activity), sum(d.REVIEWS_GIVEN))
                    .from(d).join(who).on(d.ACTOR.eq(whoActor)).where(inScope(Aggregates.PERSON_DAY, window))
                    .and(d.ACTIVITY_DAY.between(window.from(), window.to()))
                    .groupBy(whoPerson, weekIndex).fetch()) {
                Weeks w = weeks.get(r.value1());
                w.merged()[r.value2()] += value(r.value3());
                w.activity()[r.value2()] += value(r.value4());
                reviews.merge(r.value1(), value(r.value5()), Long::sum);
            }
            var pr = AN_PULL_REQUEST;
            Map<Long, Double> medianMerge = new HashMap<>();
            db.select(whoPerson, median(pr.MERGE_SECONDS)).from(pr).join(who).on(pr.AUTHOR.eq(whoActor))
                    .where(mergedIn(window)).groupBy(whoPerson)
                    .forEach(r -> medianMerge.put(r.value1(), r.value2().doubleValue()));
            weeks.replaceAll((person, w) -> new Weeks(w.merged(), w.activity(), reviews.getOrDefault(person, 0L),
                    medianMerge.get(person)));
        }
        List<PersonScore> scores = new ArrayList<>();
        for (Person p : subjects) {
            Collection<Long> team = teams.get(p.accountId());
            double teamReviews = 0;
            for (long member : team) {
                teamReviews += weeks.get(member) == null ? 0 : weeks.get(member).reviewsGiven();
            }
            double teamAverage = team.isEmpty() ? 0 : teamReviews / team.size();
            scores.add(new PersonScore(p.accountId(), p.username(), score(weeks.get(p.accountId()), teamAverage)));
        }
        return scores;
    }

    /** The score week a day falls in, counted back from the window's last day (0 is the last seven days). */
    private static Field<Integer> scoreWeek(Field<LocalDate> day, LocalDate to) {
        CaseConditionStep<Integer> week = DSL.when(day.between(to.minusDays(6), to), DSL.inline(0));
        for (int i = 1; i < SCORE_WEEKS; i++) {
            week = week.when(day.between(to.minusDays(7L * i + 6), to.minusDays(7L * i)), DSL.inline(i));
        }
        return week;
    }

    /**
     * The people each person's review count is compared with: the asked team, else their first team (lowest id),
     * else everyone in the organisation.
     */
    private static Map<Long, Collection<Long>> referenceTeams(Directory org, Long teamId, List<Person> people) {
        Map<Long, Collection<Long>> out = new HashMap<>();
        if (teamId != null) {
            Set<Long> members = org.members(teamId);
            people.forEach(p -> out.put(p.accountId(), members));
            return out;
        }
        List<Team> teams = new ArrayList<>(org.teams());
        teams.sort(java.util.Comparator.comparingLong(Team::id).reversed());
        for (Team team : teams) {
            Set<Long> members = org.members(team.id());
            members.forEach(m -> out.put(m, members)); // lower ids come last and win
        }
        List<Long> everyone = people.stream().map(Person::accountId).toList();
        people.forEach(p -> out.putIfAbsent(p.accountId(), everyone));
        return out;
    }

    /** DevPulse's Delivery Reliability Score from one person's weekly figures (docs/metrics.md). */
    static Score score(Weeks w, double teamAverageReviews) {
        int weeksWithMerge = 0;
        for (long m : w.merged()) {
            weeksWithMerge += m > 0 ? 1 : 0;
        }
        double consistency = (double) weeksWithMerge / SCORE_WEEKS;
        double participation = teamAverageReviews <= 0 ? 0 : Math.min(1, w.reviewsGiven() / teamAverageReviews);
        double efficiency = 0;
        if (w.medianMergeSeconds() != null) {
            double hours = w.medianMergeSeconds() / 3600.0;
            efficiency = hours <= 24 ? 1 : hours >= 168 ? 0 : 1 - (hours - 24) / (168 - 24);
        }
        double mean = 0;
        for (long a : w.activity()) {
            mean += a;
        }
        mean /= SCORE_WEEKS;
        double stability = 0;
        if (mean > 0) {
            double variance = 0;
            for (long a : w.activity()) {
                variance += (a - mean) * (a - mean);
            }
            double cv = Math.sqrt(variance / SCORE_WEEKS) / mean;
            stability = Math.max(0, Math.min(1, 1 - cv));
        }
        double score = 100 * (0.30 * consistency + 0.20 * participation + 0.25 * efficiency + 0.25 * stability);
        return new Score(round(score), round(consistency), round(participation), round(efficiency), round(stability));
    }

    static Score mean(List<Score> scores) {
        if (scores.isEmpty()) {
            return new Score(0, 0, 0, 0, 0);
        }
        double s = 0, a = 0, b = 0, c = 0, d = 0;
        for (Score x : scores) {
            s += x.score();
            a += x.mergeConsistency();
            b += x.reviewParticipation();
            c += x.mergeTimeEfficiency();
            d += x.activityStability();
        }
        int n = scores.size();
        return new Score(round(s / n), round(a / n), round(b / n), round(c / n), round(d / n));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }


    // Alerts ---------------------------------------------------------------------------------------------------

    @Override
    public List<dev.forgeline.analytics.Alert> alerts(long organisationId, boolean includeResolved, int limit, int offset) {
        var a = dev.forgeline.schema.Tables.AN_ALERT;
        Condition c = a.ORGANISATION_ID.eq(organisationId);
        if (!includeResolved) {
            c = c.and(a.RESOLVED_AT.isNull());
        }
        return db.selectFrom(a).where(c).orderBy(a.OPENED_AT.desc(), a.ID.desc()).limit(limit).offset(offset)
                .fetch(r -> new dev.forgeline.analytics.Alert(r.getId(), r.getKind(), r.getSubject(), r.getEvidence(),
                        r.getOpenedAt().toInstant(), FactStore.instant(r.getResolvedAt())));
    }
}
