package dev.forgeline.compliance.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the compliance rules know about one team's repositories: compliance's own copy of the facts, recorded
 * from activity events. Actors are forge logins or, for commits, the author's login, email or name.
 */
record TeamFacts(Map<Long, Repository> repositories, List<Commit> commits, List<MergeRequest> mergeRequests,
                 List<Review> reviews, List<Issue> issues, List<Pipeline> pipelines) {

    record Repository(long id, String provider, String fullName, String defaultBranch, String webUrl) {

        /** A link into the forge's web interface: GitLab puts its pages under "/-/". */
        String link(String gitlabPath, String otherPath) {
            if (webUrl == null || webUrl.isBlank()) {
                return null;
            }
            String base = webUrl.endsWith("/") ? webUrl.substring(0, webUrl.length() - 1) : webUrl;
            return base + ("gitlab".equals(provider) ? "/-/" + gitlabPath : "/" + otherPath);
        }
    }

    /**
     * @param firstRef the branch the commit was first pushed to (refs/heads/ stripped)
     * @param additions lines added, when the forge said; likewise deletions and filesChanged
     * @param touchesDocs whether one of the files it touched is documentation, when the forge listed them
     */
    record Commit(long repositoryId, String sha, String authorName, String authorEmail, String authorLogin,
                  Instant authoredAt, String message, String firstRef, Integer additions, Integer deletions,
                  Integer filesChanged, Boolean touchesDocs) {

        private static final Pattern MERGE = Pattern.compile("^Merge (branch|pull request|remote-tracking|tag|commit|'|\")");

        boolean isMerge() {
            return message != null && MERGE.matcher(message).find();
        }

        String subject() {
            if (message == null) {
                return "";
            }
            int end = message.indexOf('\n');
            return (end < 0 ? message : message.substring(0, end)).strip();
        }

        Integer lines() {
            return additions == null || deletions == null ? null : additions + deletions;
        }

        String shortSha() {
            return sha.length() > 8 ? sha.substring(0, 8) : sha;
        }
    }

    /** state: open, closed or merged; mergedBy is whoever merged it, when the forge said. */
    record MergeRequest(long repositoryId, long number, String title, String author, String state, Instant createdAt,
                        Instant mergedAt, String mergedBy, String headRef, String baseRef, Integer additions, Integer deletions) {

        boolean merged() {
            return "merged".equals(state) || mergedAt != null;
        }
    }

    /** A review, approval or comment on a merge request. */
    record Review(long repositoryId, long number, String reviewer, String kind, Instant at) {
    }

    record Issue(long repositoryId, long number, String title, String author, Instant createdAt, Instant closedAt) {
    }

    /** status as the forge says it: success, failed/failure, canceled/cancelled, skipped, running, pending, … */
    record Pipeline(long repositoryId, String forgeId, String ref, String sha, String status, Instant createdAt,
                    Instant finishedAt) {

        boolean succeeded() {
            return "success".equals(status);
        }

        boolean failed() {
            return "failed".equals(status) || "failure".equals(status) || "timed_out".equals(status);
        }
    }
}
