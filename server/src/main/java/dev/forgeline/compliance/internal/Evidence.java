package dev.forgeline.compliance.internal;

/**
 * One thing a score or signal rests on. kind: commit, merge_request, issue, pipeline, week, day or member;
 * ref names it (a short sha, !12, #7, a date, a person); url opens it on the forge when known.
 */
record Evidence(String kind, String ref, String url, String note) {
}
