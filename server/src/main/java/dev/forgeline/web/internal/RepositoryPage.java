package dev.forgeline.web.internal;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.activity.Repositories;
import dev.forgeline.activity.RepositoryActivity;
import dev.forgeline.activity.RepositoryRef;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.ReadAccess;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;

/** One repository of an organisation: its pull requests with their timeline, pipelines and deployments. */
@Controller
@Access(Rule.ORG_MEMBER)
class RepositoryPage {

    static final int SHOWN = 30;

    private final Repositories repositories;
    private final Organisations organisations;
    private final RepositoryActivity activity;
    private final ReadAccess readAccess;

    RepositoryPage(Repositories repositories, Organisations organisations, RepositoryActivity activity, ReadAccess readAccess) {
        this.repositories = repositories;
        this.organisations = organisations;
        this.activity = activity;
        this.readAccess = readAccess;
    }

    @GetMapping("/orgs/{org}/repositories/{id}")
    String show(OrgAccess access, @PathVariable long id, Model model) {
        // A repository of another organisation is answered like one that does not exist.
        RepositoryRef repository = repositories.find(id)
                .filter(r -> organisations.connections(access.organisation().id()).contains(r.connectionId()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no repository " + id + " here"));
        // Another group's repository is refused as another group's team page is.
        if (!readAccess.mayReadRepository(access, id)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "you may not see repository " + id);
        }
        model.addAttribute("org", access.organisation().slug());
        model.addAttribute("organisation", access.organisation().name());
        model.addAttribute("repository", repository);
        model.addAttribute("pullRequests", activity.pullRequests(id, SHOWN));
        model.addAttribute("pipelines", activity.pipelines(id, SHOWN));
        model.addAttribute("deployments", activity.deployments(id, SHOWN));
        return "repository";
    }
}
