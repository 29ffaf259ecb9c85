package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

/** The log health check ({@code health.log}) through {@code HealthProbes.log}, on the fake runtime. */
class LogHealthCheckTest {

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final CleanroomEngine engine = TestEngines.builder(
                    new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
            .log(new RecordingLog())
            .build();

    private LoadedFile file(String toml) throws Exception {
        Path path = dir.resolve("log.clnrm.toml");
        Files.writeString(path, toml, StandardCharsets.UTF_8);
        return engine.load(path);
    }

    @Test
    void logHealthCheckFollowsTheLogInsteadOfReReadingItOnEveryPoll() throws Exception {
        // Arrange: about 30 checks run before the start timeout passes
        runtime.logsOf("app:1", "booting\n");
        LoadedFile file = file("""
                [services.app]
                type = "scripted"
                image = "app:1"
                health_log = "never there"
                start_timeout = "300ms"
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("did not become healthy within 300 ms (last check: no log line matches "
                        + "/never there/ yet)");
        // The only whole read left is the one for "Last log lines" in the failure.
        assertThat(runtime.logReads()).isLessThanOrEqualTo(1);
        assertThat(runtime.openLogFollows()).as("log streams left open").isZero();
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void catastrophicLogPatternFailsTheStartWhenTheStartTimeoutPassesNamingServiceAndPattern() throws Exception {
        // Arrange: (a+)+ against 39 a's and a b backtracks for hours
        runtime.logsOf("app:1", "booting\n" + "a".repeat(39) + "b\n");
        LoadedFile file = file("""
                [services.app]
                type = "scripted"
                image = "app:1"
                health_log = '^(a+)+\\1$'
                start_timeout = "1s"
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith("Service app (scripted, app:1) failed its health check: health.log "
                        + "/^(a+)+\\1$/ did not finish matching within 1.0 s (catastrophic backtracking?). "
                        + "Perhaps you should simplify the pattern, e.g. without nested repetition such as (a+)+");
        assertThat(runtime.openLogFollows()).as("log streams left open").isZero();
        assertThat(runtime.containerCount()).isZero();
    }
}
