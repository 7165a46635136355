package dev.forgeline.platform;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The paging every list route takes: limit 1 to 500, offset from 0. */
public final class Paging {

    public static final int MAX_LIMIT = 500;

    private Paging() {
    }

    /** @throws ResponseStatusException 400 with the rule, when either is out of range */
    public static void check(int limit, int offset) {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to " + MAX_LIMIT + " and offset 0 or more");
        }
    }
}
