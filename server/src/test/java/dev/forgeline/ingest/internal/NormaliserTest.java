package dev.forgeline.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.Participants;
import dev.forgeline.test.Fixtures;
import tools.jackson.databind.json.JsonMapper;

/** Payload details that rules downstream depend on, read straight from the recorded examples. */
class NormaliserTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aPushedCommitKnowsWhichFilesItTouched() {
        var events = Normaliser.normalise(Provider.GITLAB, "Push Hook", json.readTree(Fixtures.read("gitlab/push.json")));
        ForgeEvent.Push push = (ForgeEvent.Push) events.getFirst();
        assertThat(push.commits()).extracting(ForgeEvent.Commit::files)
                .containsOnly(List.of("CHANGELOG", "app/controller/application.rb"));
    }

    @Test
    void theRepositoryOwnerIsAUserOrAnOrganisationAsItsTypeSays() {
        Participants user = Normaliser.participants(Provider.GITHUB, json.readTree(Fixtures.read("github/pull_request/opened.payload.json")));
        assertThat(user.owner().path()).isEqualTo("Codertocat");
        assertThat(user.owner().kind()).isEqualTo("user");
        assertThat(user.users()).extracting(Participants.User::login).contains("Codertocat", "octocat");

        Participants gitlab = Normaliser.participants(Provider.GITLAB, json.readTree(Fixtures.read("gitlab/merge_request.json")));
        assertThat(gitlab.owner().path()).isEqualTo("gitlabhq");
        assertThat(gitlab.users()).extracting(Participants.User::login, Participants.User::email)
                .contains(org.assertj.core.groups.Tuple.tuple("user1", "user1@example.com"));
    }
}
