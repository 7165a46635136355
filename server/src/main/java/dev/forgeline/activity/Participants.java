package dev.forgeline.activity;

import java.util.List;

/**
 * Who a payload names: the namespace (organisation, group or user) that owns its repository, and the forge users
 * it mentions. Recorded beside the events so that people and organisations are rows, not just strings.
 */
public record Participants(Namespace owner, List<User> users) {

    public static final Participants NONE = new Participants(null, List.of());

    /** kind: organization, group or user. */
    public record Namespace(String path, String forgeId, String kind, String name) {
    }

    /** A forge account; login is the key, the rest is filled in where a payload gives it. */
    public record User(String login, String forgeId, String name, String email) {
    }
}
