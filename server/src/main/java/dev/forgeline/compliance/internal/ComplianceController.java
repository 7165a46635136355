package dev.forgeline.compliance.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.compliance.Rule;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Team;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.ForgelineProperties;

/** Course compliance per team, and the teacher's weights. Students see their own team(s) only. */
@RestController
@Access(Access.Rule.ORG_MEMBER)
@RequestMapping("/api/v1/orgs/{org}")
class ComplianceController {

    static final double MAX_WEIGHT = 100;
    private static final int TREND_WEEKS = 26;

    private final Organisations organisations;
    private final ScoreStore scores;
    private final int green;
    private final int amber;

    ComplianceController(Organisations organisations, ScoreStore scores, ForgelineProperties settings) {
        this.organisations = organisations;
        this.scores = scores;
        this.green = settings.compliance().green();
        this.amber = settings.compliance().amber();
    }

    record ComplianceView(String organisation, ComplianceThresholds thresholds, List<TeamComplianceView> teams) {
    }

    record ComplianceThresholds(int green, int amber) {
    }

    /** score and level are null until the team is first scored, or when no weighted rule could be scored. */
    record TeamComplianceView(String team, String name, Integer score, String level, Instant computedAt, Instant from, Instant to,
                          List<RuleView> rules, List<SignalView> signals, List<ScoreStore.Snapshot> trend) {
    }

    record RuleView(String rule, String title, Integer score, double weight, String detail, List<Evidence> evidence) {
    }

    record SignalView(String signal, String title, int count, List<Evidence> evidence) {
    }

    @GetMapping("/metrics/compliance")
    ComplianceView compliance(OrgAccess access, @RequestParam(required = false) String team) {
        long organisationId = access.organisation().id();
        List<Team> teams;
        if (team != null) {
            Team one = organisations.team(organisationId, team).filter(t -> access.mayReadTeam(t.id()))
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no team '" + team + "'"));
            teams = List.of(one);
        } else {
            teams = organisations.teams(organisationId).stream().filter(t -> access.mayReadTeam(t.id())).toList();
        }
        Map<Rule, Double> weights = scores.weights(organisationId);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<TeamComplianceView> results = new ArrayList<>();
        for (Team t : teams) {
            List<ScoreStore.Snapshot> trend = scores.snapshots(t.id(), today.minusWeeks(TREND_WEEKS), today);
            results.add(scores.find(t.id()).map(r -> view(t, r, weights, trend))
                    .orElseGet(() -> new TeamComplianceView(t.slug(), t.name(), null, null, null, null, null, List.of(), List.of(), trend)));
        }
        return new ComplianceView(access.organisation().slug(), new ComplianceThresholds(green, amber), results);
    }

    private TeamComplianceView view(Team team, ScoreStore.TeamResult result, Map<Rule, Double> weights, List<ScoreStore.Snapshot> trend) {
        Integer score = WeightedScore.of(result.scores(), weights);
        return new TeamComplianceView(team.slug(), team.name(), score, score == null ? null : Level.of(score, green, amber).code(),
                result.computedAt(), result.period().from(), result.period().to(),
                result.rules().stream().map(r -> new RuleView(r.rule().name(), r.rule().title(), r.score(), weights.get(r.rule()),
                        r.detail(), r.evidence())).toList(),
                result.signals().stream().map(s -> new SignalView(s.kind().code(), s.kind().title(), s.evidence().size(),
                        s.evidence())).toList(),
                trend);
    }

    record ComplianceWeights(Map<String, Double> weights) {
    }

    @GetMapping("/compliance/weights")
    ComplianceWeights weights(OrgAccess access) {
        return view(scores.weights(access.organisation().id()));
    }

    /** Sets the weights named in the body (others keep theirs); a teacher's (manager's) right. */
    @PutMapping("/compliance/weights")
    @Access(Access.Rule.ORG_MANAGER)
    ComplianceWeights setWeights(OrgAccess access, @RequestBody(required = false) ComplianceWeights body) {
        if (!access.atLeast(OrgRole.MANAGER)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "only teachers set the compliance weights");
        }
        if (body == null || body.weights() == null || body.weights().isEmpty()) {
            throw bad("give weights, e.g. {\"weights\":{\"R01\":2,\"R05\":0.5}}");
        }
        long organisationId = access.organisation().id();
        Map<Rule, Double> changes = new EnumMap<>(Rule.class);
        body.weights().forEach((code, weight) -> {
            Rule rule = Rule.parse(code).orElseThrow(() -> bad("unknown rule '" + code + "': use R01 to R13"));
            if (weight == null || !Double.isFinite(weight) || weight < 0 || weight > MAX_WEIGHT) {
                throw bad("the weight of " + rule + " must be a number from 0 to " + (int) MAX_WEIGHT);
            }
            changes.put(rule, weight);
        });
        Map<Rule, Double> after = new EnumMap<>(scores.weights(organisationId));
        after.putAll(changes);
        if (after.values().stream().noneMatch(w -> w > 0)) {
            throw bad("at least one rule needs a weight above 0");
        }
        scores.setWeights(organisationId, changes);
        return view(after);
    }

    private static ComplianceWeights view(Map<Rule, Double> weights) {
        Map<String, Double> byCode = new LinkedHashMap<>();
        weights.forEach((rule, weight) -> byCode.put(rule.name(), weight));
        return new ComplianceWeights(byCode);
    }

    private static ResponseStatusException bad(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }
}
