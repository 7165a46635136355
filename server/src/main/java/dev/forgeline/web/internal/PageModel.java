package dev.forgeline.web.internal;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import dev.forgeline.identity.Caller;
import jakarta.servlet.http.HttpServletRequest;

/** What the layout needs on every page: who is signed in and where they are, for the navigation. */
@ControllerAdvice(basePackageClasses = PageModel.class)
class PageModel {

    @ModelAttribute("caller")
    Caller caller() {
        return Caller.current().orElse(null);
    }

    @ModelAttribute("admin")
    boolean admin() {
        return Caller.current().map(Caller::actsAsAdmin).orElse(false);
    }

    @ModelAttribute("path")
    String path(HttpServletRequest request) {
        return request.getRequestURI();
    }
}
