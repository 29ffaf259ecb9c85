package dev.cleanroom.plugins.generic;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.plugins.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Large output on a real daemon: what steps and the log health check still see past the first mebibyte. */
class OutputLimitsIT {

    /** A shell loop printing 3000 JSON lines of 400 bytes (1.2 MB), as a chatty service logs at start. */
    private static final String LOG_1_2_MB = "L='{\"level\":\"info\",\"msg\":\"" + "x".repeat(374) + "\"}'; "
            + "i=0; while [ $i -lt 3000 ]; do echo \"$L\"; i=$((i+1)); done";

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();
    private final CleanroomEngine engine =
            CleanroomEngine.builder().project(project).build();

    @AfterEach
    void nothingOfTheRunRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    private RunReport run(String toml) throws Exception {
        Path file = dir.resolve("limits.clnrm.toml");
        Files.writeString(file, toml.replace("BUSYBOX", BUSYBOX));
        return engine.run(engine.load(file));
    }

    /** TOML basic-string form of a shell script: quotes and backslashes escaped. */
    private static String toml(String script) {
        return "\"" + script.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void stepPrintingMoreThanOneMebibyteIsJudgedByItsLastLine() throws Exception {
        // Act
        RunReport report = run("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "sleep infinity"]

                [[steps]]
                name = "many_tests"
                command = ["sh", "-c", SCRIPT]
                expected_output_regex = "^ALL TESTS PASSED$"
                timeout = "60s"
                """.replace("SCRIPT", toml(LOG_1_2_MB + "; echo 'ALL TESTS PASSED'")));

        // Assert
        StepResult step = report.steps().get(0);
        assertThat(report.passed()).as(step.failure()).isTrue();
        assertThat(step.stdout()).endsWith("\nALL TESTS PASSED\n");
        assertThat(step.outputCut())
                .isEqualTo("stdout was cut: kept the first 524000 and the last 524017 of " + "1200017 bytes");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void serviceLoggingMoreThanOneMebibyteBeforeItsReadyLineBecomesHealthy() throws Exception {
        // Act
        RunReport report =
                run("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", SCRIPT]
                health.log = "Started in"
                health.start_timeout = "30s"

                [[steps]]
                name = "up"
                command = ["true"]
                """.replace("SCRIPT", toml(LOG_1_2_MB + "; echo 'Started in 1.0 seconds'; exec sleep infinity")));

        // Assert
        assertThat(report.passed()).isTrue();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void catastrophicHealthLogPatternFailsTheStartWhenItsStartTimeoutPasses() throws Exception {
        // Arrange: (a+)+ against 39 a's and a b backtracks for hours
        Path file = dir.resolve("backtrack.clnrm.toml");
        Files.writeString(file, """
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "echo booting; echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab; exec sleep infinity"]
                health.log = '^(a+)+\\1$'
                health.start_timeout = "3s"
                """.replace("BUSYBOX", BUSYBOX));

        // Act + Assert
        assertThatThrownBy(() -> engine.start(engine.load(file)))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith("Service app (generic_container, " + BUSYBOX + ") ")
                .hasMessageContaining("/^(a+)+\\1$/")
                .hasMessageContaining("(catastrophic backtracking?)");
    }
}
