package dev.forgeline.identity.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;

/**
 * Resolves {@link OrgAccess} parameters from the {@code {org}} path variable. Non-members get the same 404 as
 * an organisation that does not exist, so that nobody learns which organisations there are.
 */
@Configuration(proxyBeanMethods = false)
class OrgAccessResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    private final Organisations organisations;

    OrgAccessResolver(Organisations organisations) {
        this.organisations = organisations;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == OrgAccess.class;
    }

    @Override
    public OrgAccess resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
                                     WebDataBinderFactory binders) {
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        String slug = variables == null ? null : variables.get("org");
        if (slug == null) {
            throw new IllegalStateException(parameter.getExecutable() + " takes an OrgAccess but its route has no {org} variable");
        }
        ResponseStatusException notFound = new ResponseStatusException(HttpStatus.NOT_FOUND, "no organisation '" + slug + "'");
        Caller caller = Caller.current().orElseThrow(() -> notFound);
        Organisation organisation = organisations.find(slug).orElseThrow(() -> notFound);
        OrgRole role = organisations.roleOf(caller, organisation.id()).orElseThrow(() -> notFound);
        Set<Long> teams = organisations.teamsOf(organisation.id(), caller.accountId());
        Set<Long> teamPeople = new HashSet<>();
        teamPeople.add(caller.accountId());
        teams.forEach(team -> teamPeople.addAll(organisations.teamMembers(team)));
        return new OrgAccess(organisation, role, caller, Set.copyOf(teams), Set.copyOf(teamPeople));
    }
}
