package dev.cleanroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReuseScopeTest {

    @Test
    void twoCheckoutsOfOneProjectShareTheScopeOfAFile() {
        ReuseScope here =
                ReuseScope.of("g:a", Path.of("/home/me/app"), Path.of("/home/me/app/src/test/cleanroom/x.clnrm.toml"));
        ReuseScope there =
                ReuseScope.of("g:a", Path.of("/ci/ws/app"), Path.of("/ci/ws/app/src/test/cleanroom/x.clnrm.toml"));

        assertThat(here).isEqualTo(there);
        assertThat(here.relativeFile()).isEqualTo("src/test/cleanroom/x.clnrm.toml");
        assertThat(here.networkName()).matches("clnrm-reuse-\\p{XDigit}{12}");
        assertThat(here.lockName()).isEqualTo("clnrm-lock-" + here.key());
    }

    @Test
    void anotherProjectOrFileIsAnotherScope() {
        Path base = Path.of("/p");
        ReuseScope one = ReuseScope.of("g:a", base, base.resolve("x.clnrm.toml"));
        assertThat(ReuseScope.of("g:b", base, base.resolve("x.clnrm.toml")).key())
                .isNotEqualTo(one.key());
        assertThat(ReuseScope.of("g:a", base, base.resolve("y.clnrm.toml")).key())
                .isNotEqualTo(one.key());
    }

    @Test
    void theServiceHashChangesWithTheDefinitionAndTheImage() {
        ReuseScope scope = ReuseScope.of("g:a", Path.of("/p"), Path.of("/p/x.clnrm.toml"));
        String hash = scope.serviceHash("type=x\nenv={}", List.of("sha256:1"));
        assertThat(scope.serviceHash("type=x\nenv={}", List.of("sha256:1"))).isEqualTo(hash);
        assertThat(scope.serviceHash("type=x\nenv={\"A\":\"1\"}", List.of("sha256:1")))
                .isNotEqualTo(hash);
        assertThat(scope.serviceHash("type=x\nenv={}", List.of("sha256:2"))).isNotEqualTo(hash);
    }
}
