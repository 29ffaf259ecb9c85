package dev.cleanroom.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> KEYS = List.of("image", "command", "entrypoint", "env", "ports");

    @Test
    void closestFindsATypoWithinTwoEdits() {
        assertThat(Suggestions.closest("imgae", KEYS)).contains("image");
        assertThat(Suggestions.closest("port", KEYS)).contains("ports");
    }

    @Test
    void closestIgnoresCase() {
        assertThat(Suggestions.closest("IMAGE", KEYS)).contains("image");
    }

    @Test
    void closestPrefersTheSmallestDistance() {
        assertThat(Suggestions.closest("env", List.of("envs", "env"))).contains("env");
    }

    @Test
    void closestBreaksTiesInCandidateOrder() {
        assertThat(Suggestions.closest("cat", List.of("cut", "bat", "cart"))).contains("cut");
    }

    @Test
    void closestAllowsAThirdOfTheInputLengthInEditsButAtLeastTwo() {
        // 15 and 16 characters allow 5 edits
        assertThat(Suggestions.closest("entry_point_cmd", KEYS)).contains("entrypoint");
        assertThat(Suggestions.closest("entry_point_cmds", KEYS)).isEmpty();
        // 3 characters still allow 2 edits, not 3
        assertThat(Suggestions.closest("cmd", List.of("cmxx"))).contains("cmxx");
        assertThat(Suggestions.closest("cmd", List.of("cxxx"))).isEmpty();
    }

    @Test
    void closestFindsNothingWhenEverythingIsFarAway() {
        assertThat(Suggestions.closest("kubernetes", KEYS)).isEmpty();
        assertThat(Suggestions.closest("x", List.of())).isEmpty();
    }

    @Test
    void didYouMeanNamesTheClosestCandidate() {
        assertThat(Suggestions.didYouMean("imag", KEYS)).isEqualTo("did you mean `image`?");
    }

    @Test
    void didYouMeanListsAllCandidatesWhenNoneIsClose() {
        assertThat(Suggestions.didYouMean("replicas", KEYS))
                .isEqualTo("accepted: image, command, entrypoint, env, ports");
    }

    @Test
    void distanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(Suggestions.distance("", "")).isZero();
        assertThat(Suggestions.distance("abc", "abc")).isZero();
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("abc", "")).isEqualTo(3);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("image", "imgae")).isEqualTo(2);
    }
}
