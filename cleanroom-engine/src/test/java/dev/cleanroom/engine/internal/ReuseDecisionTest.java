package dev.cleanroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReuseDecisionTest {

    private static ReuseDecision decide(Optional<Boolean> build, Optional<Boolean> file, Map<String, String> env) {
        return ReuseDecision.decide(build, "-Dcleanroom.reuse", file, "app.clnrm.toml", env);
    }

    @Test
    void offByDefault() {
        ReuseDecision decision = decide(Optional.empty(), Optional.empty(), Map.of());
        assertThat(decision.enabled()).isFalse();
        assertThat(decision.reason()).isEqualTo("reuse off (the default); -Dcleanroom.reuse=true turns it on");
    }

    @Test
    void theBuildDecidesOverTheFileEitherWay() {
        assertThat(decide(Optional.of(false), Optional.of(true), Map.of()).enabled())
                .isFalse();
        assertThat(decide(Optional.of(true), Optional.of(false), Map.of()).enabled())
                .isTrue();
        assertThat(decide(Optional.of(false), Optional.empty(), Map.of()).reason())
                .isEqualTo("reuse off: -Dcleanroom.reuse=false");
    }

    @Test
    void theFileDecidesWhenTheBuildSaysNothingAndAnExplicitFalseIsNamed() {
        ReuseDecision off = decide(Optional.empty(), Optional.of(false), Map.of());
        assertThat(off.enabled()).isFalse();
        assertThat(off.reason()).isEqualTo("reuse off: reuse = false under [meta] of app.clnrm.toml");
        assertThat(decide(Optional.empty(), Optional.of(true), Map.of("CI", "true"))
                        .enabled())
                .isTrue();
    }

    @Test
    void inCiWithoutASettingItIsOffAndTheReasonNamesTheVariable() {
        for (String variable : ReuseDecision.CI_VARIABLES) {
            ReuseDecision decision = decide(Optional.empty(), Optional.empty(), Map.of(variable, "x"));
            assertThat(decision.enabled()).isFalse();
            assertThat(decision.reason()).contains("a CI system is detected (" + variable + " is set)");
        }
        assertThat(decide(Optional.empty(), Optional.empty(), Map.of("CI", "true"))
                        .reason())
                .contains("(CI=true is set)");
    }

    @Test
    void ciSetToFalseIsNoCi() {
        assertThat(ReuseDecision.ciVariable(Map.of("CI", "false"))).isEmpty();
        assertThat(ReuseDecision.ciVariable(Map.of("CI", ""))).isEmpty();
    }

    @Test
    void theBuildsTrueTurnsItOnInCi() {
        assertThat(decide(Optional.of(true), Optional.empty(), Map.of("GITLAB_CI", "true"))
                        .enabled())
                .isTrue();
    }
}
