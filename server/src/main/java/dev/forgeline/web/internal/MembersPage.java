package dev.forgeline.web.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;

/** An organisation's members and their roles; admins and owners change roles here. */
@Controller
@Access(Rule.ORG_ADMIN)
class MembersPage {

    private final Organisations organisations;
    private final Audit audit;

    MembersPage(Organisations organisations, Audit audit) {
        this.organisations = organisations;
        this.audit = audit;
    }

    @GetMapping("/orgs/{org}/members")
    String members(OrgAccess access, Model model) {
        requireAdmin(access);
        var kind = access.organisation().kind();
        model.addAttribute("org", access.organisation().slug());
        model.addAttribute("organisation", access.organisation().name());
        model.addAttribute("people", organisations.people(access.organisation().id()).stream()
                .sorted(Comparator.comparing(Person::displayName, String.CASE_INSENSITIVE_ORDER)).toList());
        model.addAttribute("roles", Arrays.stream(OrgRole.values()).filter(r -> r != OrgRole.OWNER || access.atLeast(OrgRole.OWNER)).toList());
        model.addAttribute("kind", kind);
        return "members";
    }

    @PostMapping("/orgs/{org}/members/{account}/role")
    String changeRole(OrgAccess access, @PathVariable long account, @RequestParam String role, RedirectAttributes redirect) {
        requireAdmin(access);
        OrgRole newRole;
        try {
            newRole = OrgRole.valueOf(role.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "role must be owner, admin, manager or developer");
        }
        if (newRole == OrgRole.OWNER && !access.atLeast(OrgRole.OWNER)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "only an owner makes another owner");
        }
        Person person = organisations.people(access.organisation().id()).stream().filter(p -> p.accountId() == account)
                .findFirst().orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no member " + account + " here"));
        organisations.addMember(access.organisation().id(), account, newRole);
        audit.record("member.role-changed", "account", Long.toString(account),
                access.organisation().slug() + ": " + person.role() + " → " + newRole);
        redirect.addFlashAttribute("notice", person.displayName() + " is now " + newRole.title(access.organisation().kind()) + ".");
        return "redirect:/orgs/" + access.organisation().slug() + "/members";
    }

    private static void requireAdmin(OrgAccess access) {
        if (!access.atLeast(OrgRole.ADMIN)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "members and roles are for the organisation's admins");
        }
    }
}
