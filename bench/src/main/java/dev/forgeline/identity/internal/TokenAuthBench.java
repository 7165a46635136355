package dev.forgeline.identity.internal;

import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.MethodParameter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;

import dev.forgeline.ForgelineApplication;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Team;
import dev.forgeline.platform.ForgelineProperties;

/**
 * What a token-authenticated API request spends on who-is-calling and may-they: the bearer token filter (token hash,
 * lookup), the route's access rule (organisation, membership, scope, role) and the OrgAccess the controller gets
 * (teams), on a real server's beans and database, without the network. Prints p50, p90 and p99 per request.
 * <pre>
 * bench/run auth [REQUESTS]                                                          # embedded H2
 * FORGELINE_DB_URL=jdbc:postgresql://localhost:5432/bench bench/run auth [REQUESTS]  # PostgreSQL
 * </pre>
 * It lives in identity's package to reach the filter and the rule checker as the server wires them.
 */
public final class TokenAuthBench {

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        String[] settings = {"--forgeline.port=0", "--logging.level.root=WARN", "--forgeline.roles=web",
                "--forgeline.home=" + (System.getenv("FORGELINE_HOME") != null ? System.getenv("FORGELINE_HOME")
                        : Files.createTempDirectory("forgeline-bench").toString())};
        try (ConfigurableApplicationContext context = new SpringApplication(ForgelineApplication.class).run(settings)) {
            Organisations organisations = context.getBean(Organisations.class);
            String slug = "bench-" + System.nanoTime();
            Organisation organisation = organisations.create(slug, "Bench", Organisation.Kind.TEAM);
            long account = organisations.createAccount(slug, "Bench developer", null);
            organisations.addMember(organisation.id(), account, OrgRole.DEVELOPER);
            Team team = organisations.createTeam(organisation.id(), "backend", "Backend");
            organisations.addTeamMember(team.id(), account);
            String token = Tokens.generate("flp_");
            context.getBean(ApiTokens.class).create(account, "bench", token, Set.of("read"), Instant.now().plusSeconds(3600));

            BearerTokenFilter filter = new BearerTokenFilter(context.getBean(ApiTokens.class), context.getBean(ProblemWriter.class));
            RouteRules rules = context.getBean(RouteRules.class);
            OrgAccessResolver resolver = context.getBean(OrgAccessResolver.class);
            OrganisationsController controller = context.getBean(OrganisationsController.class);
            HandlerMethod handler = new HandlerMethod(controller, OrganisationsController.class.getDeclaredMethod("get", OrgAccess.class));
            MethodParameter parameter = handler.getMethodParameters()[0];

            String url = context.getBean(ForgelineProperties.class).effectiveDbUrl();
            System.out.printf("token-authenticated request overhead on %s (filter + access rule + OrgAccess), %d requests%n",
                    url.startsWith("jdbc:postgresql:") ? "PostgreSQL" : "embedded H2", requests);
            long[] warmup = new long[Math.max(5_000, requests / 5)];
            run(filter, rules, resolver, handler, parameter, slug, token, warmup);
            long[] samples = new long[requests];
            run(filter, rules, resolver, handler, parameter, slug, token, samples);
            Arrays.sort(samples);
            System.out.printf("RESULT auth+tenant p50=%.3f ms p90=%.3f ms p99=%.3f ms (target p50 <= 0.2 ms)%n",
                    samples[samples.length / 2] / 1e6, samples[samples.length * 9 / 10] / 1e6, samples[samples.length * 99 / 100] / 1e6);
        }
    }

    private static void run(BearerTokenFilter filter, RouteRules rules, OrgAccessResolver resolver, HandlerMethod handler,
                            MethodParameter parameter, String slug, String token, long[] samples) throws Exception {
        for (int i = 0; i < samples.length; i++) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/orgs/" + slug);
            request.addHeader("Authorization", "Bearer " + token);
            request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("org", slug));
            MockHttpServletResponse response = new MockHttpServletResponse();
            long start = System.nanoTime();
            filter.doFilter(request, response, (req, res) -> {
                try {
                    rules.preHandle(request, response, handler);
                    OrgAccess access = resolver.resolveArgument(parameter, null, new ServletWebRequest(request), null);
                    if (access.role() != OrgRole.DEVELOPER) {
                        throw new IllegalStateException("wrong role " + access.role());
                    }
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            samples[i] = System.nanoTime() - start;
            if (response.getStatus() != 200) {
                throw new IllegalStateException("refused: " + response.getStatus() + " " + response.getContentAsString());
            }
        }
    }
}
