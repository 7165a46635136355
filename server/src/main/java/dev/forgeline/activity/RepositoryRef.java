package dev.forgeline.activity;

/** A repository of the model, as other modules refer to it. */
public record RepositoryRef(long id, long connectionId, String provider, String fullName, String defaultBranch, String webUrl) {
}
