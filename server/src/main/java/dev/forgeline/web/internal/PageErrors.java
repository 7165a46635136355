package dev.forgeline.web.internal;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

import dev.forgeline.identity.Caller;

/** A refused page is answered as a page: the error template with its status and one line, not a JSON problem. */
@ControllerAdvice(basePackageClasses = PageErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

    @ExceptionHandler(ResponseStatusException.class)
    ModelAndView refused(ResponseStatusException e, jakarta.servlet.http.HttpServletRequest request) {
        HttpStatusCode code = e.getStatusCode();
        HttpStatus status = HttpStatus.resolve(code.value());
        ModelAndView page = new ModelAndView("error", code);
        page.addObject("status", code.value());
        page.addObject("error", status == null ? "" : status.getReasonPhrase());
        page.addObject("detail", e.getReason());
        // Exception handlers get no @ModelAttribute values: the navigation needs these.
        page.addObject("caller", Caller.current().orElse(null));
        page.addObject("admin", Pages.isAdmin());
        page.addObject("path", request.getRequestURI());
        return page;
    }
}
