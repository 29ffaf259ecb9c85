package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.api.StepResult.Status;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.OutputCut;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

class StepsTest {

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final RecordingLog log = new RecordingLog();
    private final CleanroomEngine engine = TestEngines.builder(
                    new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
            .log(log)
            .build();

    private RunReport run(String steps) throws Exception {
        Path path = dir.resolve("steps.clnrm.toml");
        Files.writeString(path, """
                [services.app]
                type = "scripted"
                image = "app:1"
                password = "hunter22"
                """ + steps);
        LoadedFile file = engine.load(path);
        return engine.run(file);
    }

    @Test
    void stepPassesWhenExitCodeAndOutputMatch() throws Exception {
        // Arrange
        runtime.onExec(argv -> new ExecResult(0, "hello from container\n", "", Duration.ofMillis(3), false));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "echo"
                command = ["echo", "hello from container"]
                expected_output_regex = "hello from container"
                """);

        // Assert
        assertThat(report.passed()).isTrue();
        assertThat(report.steps()).singleElement().satisfies(step -> {
            assertThat(step.status()).isEqualTo(Status.PASSED);
            assertThat(step.service()).isEqualTo("app");
            assertThat(step.command()).containsExactly("echo", "hello from container");
            assertThat(step.failure()).isEmpty();
        });
        assertThat(runtime.events()).contains("exec echo hello from container");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void regexMismatchFailsWithTheExpectationAndTheOutputTail() throws Exception {
        // Arrange
        runtime.onExec(argv -> new ExecResult(0, "hullo\n", "warning: typo\n", Duration.ofMillis(3), false));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "greet"
                command = ["echo", "hullo"]
                expected_output_regex = "^hello$"
                """);

        // Assert
        assertThat(report.passed()).isFalse();
        StepResult step = report.steps().get(0);
        assertThat(step.status()).isEqualTo(Status.FAILED);
        assertThat(step.failure()).isEqualTo("""
                Step "greet" failed: its output does not match expected_output_regex /^hello$/.
                  step: %s:5:1, service: app
                  command: ["echo", "hullo"]
                  stdout:
                    | hullo
                  stderr:
                    | warning: typo""".formatted(dir.resolve("steps.clnrm.toml")));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void catastrophicRegexFailsTheStepWhenItsTimeoutPassesInsteadOfHanging() throws Exception {
        // Arrange: (a+)+ against 39 a's and a b backtracks for hours
        runtime.onExec(argv -> new ExecResult(0, "a".repeat(39) + "b\n", "", Duration.ofMillis(1), false));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "backtrack"
                command = ["echo", "aaa"]
                expected_output_regex = '^(a+)+\\1$'
                timeout = "1s"
                """);

        // Assert
        StepResult step = report.steps().get(0);
        assertThat(step.status()).isEqualTo(Status.FAILED);
        assertThat(step.failure())
                .startsWith("Step \"backtrack\" failed: expected_output_regex /^(a+)+\\1$/ did not "
                        + "finish matching within 1.0 s (catastrophic backtracking?). Perhaps you should simplify the pattern, "
                        + "e.g. without nested repetition such as (a+)+.\n");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void stepWhoseOutputWasCutSaysWhereInItsResultAndFailure() throws Exception {
        // Arrange: what DockerRuntime returns for 1.2 MB of output
        String head = "first line\n";
        String marker = OutputCut.marker("stdout", 1_199_990);
        String stdout = head + marker + "last line\n";
        OutputCut cut = new OutputCut(11, 10, 1_200_011, head.length(), head.length() + marker.length());
        runtime.onExec(
                argv -> new ExecResult(0, stdout, "", Duration.ofMillis(1), false, Optional.of(cut), Optional.empty()));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "chatty"
                command = ["run-tests"]
                expected_output_regex = "^ALL TESTS PASSED$"
                """);

        // Assert
        StepResult step = report.steps().get(0);
        assertThat(step.outputCut()).isEqualTo("stdout was cut: kept the first 11 and the last 10 of 1200011 bytes");
        assertThat(step.failure()).contains("""
                  command: ["run-tests"]
                  output: stdout was cut: kept the first 11 and the last 10 of 1200011 bytes (a regex match across a \
                cut cannot be seen)
                  stdout:
                    | first line
                    | [cleanroom: 1199990 bytes of stdout cut here]
                    | last line
                """);
    }

    @Test
    void passedStepWhoseOutputWasCutSaysSoInTheBuildLog() throws Exception {
        // Arrange
        String head = "first line\n";
        String marker = OutputCut.marker("stdout", 1_199_990);
        OutputCut cut = new OutputCut(11, 10, 1_200_011, head.length(), head.length() + marker.length());
        runtime.onExec(argv -> new ExecResult(
                0, head + marker + "last line\n", "", Duration.ofMillis(1), false, Optional.of(cut), Optional.empty()));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "chatty"
                command = ["run-tests"]
                """);

        // Assert
        assertThat(report.passed()).isTrue();
        assertThat(log.text())
                .contains("INFO Step chatty PASSED in 1 ms (stdout was cut: kept the first 11 and the "
                        + "last 10 of 1200011 bytes)");
    }

    @Test
    void cutOutputIsMatchedInItsHeadAndItsTailButNotInTheMarker() throws Exception {
        // Arrange
        String head = "first line\n";
        String marker = OutputCut.marker("stdout", 1_199_990);
        String stdout = head + marker + "ALL TESTS PASSED\n";
        OutputCut cut = new OutputCut(11, 17, 1_200_018, head.length(), head.length() + marker.length());
        runtime.onExec(
                argv -> new ExecResult(0, stdout, "", Duration.ofMillis(1), false, Optional.of(cut), Optional.empty()));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "verdict"
                command = ["run-tests"]
                expected_output_regex = "^ALL TESTS PASSED$"
                [[steps]]
                name = "marker_is_not_output"
                command = ["run-tests"]
                expected_output_regex = "cut here"
                """);

        // Assert
        assertThat(report.steps()).extracting(StepResult::status).containsExactly(Status.PASSED, Status.FAILED);
    }

    @Test
    void unexpectedExitCodeFailsAndLaterStepsAreSkipped() throws Exception {
        // Arrange
        runtime.onExec(argv -> new ExecResult(argv.contains("fail") ? 2 : 0, "", "", Duration.ofMillis(1), false));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "first"
                command = ["sh", "-c", "fail"]
                [[steps]]
                name = "second"
                command = ["true"]
                """);

        // Assert
        assertThat(report.steps()).extracting(StepResult::status).containsExactly(Status.FAILED, Status.SKIPPED);
        assertThat(report.steps().get(0).failure())
                .startsWith("Step \"first\" failed: exited with code 2, expected 0.");
        assertThat(runtime.events()).noneMatch(e -> e.equals("exec true"));
    }

    @Test
    void aStepOnAServiceThatExitedSaysHowItExitedWithItsLastLogLines() throws Exception {
        // Arrange: the first step's command brings the service down, as a crash during the run would
        runtime.logsOf("app:1", "listening\nfatal: lost the database\n");
        runtime.onExec(argv -> {
            if (argv.contains("crash")) {
                runtime.containerIds().forEach(runtime::kill);
            }
            return new ExecResult(0, "", "", Duration.ofMillis(1), false);
        });

        // Act
        RunReport report = run("""
                [[steps]]
                name = "brings_it_down"
                command = ["crash"]
                [[steps]]
                name = "uses_it"
                command = ["true"]
                """);

        // Assert
        assertThat(report.steps()).extracting(StepResult::status).containsExactly(Status.PASSED, Status.FAILED);
        assertThat(report.steps().get(1).failure())
                .startsWith("Step \"uses_it\" failed: could not run: service app is no longer running: it exited "
                        + "with code 137\n  Last log lines of app:\n    | listening\n    | fatal: lost the database");
    }

    @Test
    void expectedNonZeroExitCodePasses() throws Exception {
        // Arrange
        runtime.onExec(argv -> new ExecResult(3, "", "", Duration.ofMillis(1), false));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "three"
                command = ["sh", "-c", "exit 3"]
                expected_exit_code = 3
                """);

        // Assert
        assertThat(report.passed()).isTrue();
    }

    @Test
    void timedOutStepFailsWithItsTimeout() throws Exception {
        // Arrange
        runtime.onExec(argv -> new ExecResult(-1, "", "", Duration.ofSeconds(1), true));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "slow"
                command = ["sleep", "30"]
                timeout = "1s"
                """);

        // Assert
        assertThat(report.steps().get(0).failure())
                .startsWith("Step \"slow\" failed: timed out after 1.0 s and was killed.");
    }

    @Test
    void continueOnFailureToleratesTheFailureAndRunsLaterSteps() throws Exception {
        // Arrange
        runtime.onExec(
                argv -> new ExecResult(argv.get(0).equals("false") ? 1 : 0, "", "", Duration.ofMillis(1), false));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "flaky"
                command = ["false"]
                continue_on_failure = true
                [[steps]]
                name = "after"
                command = ["true"]
                """);

        // Assert
        assertThat(report.steps()).extracting(StepResult::status).containsExactly(Status.TOLERATED, Status.PASSED);
        assertThat(report.passed()).isTrue();
        assertThat(log.text()).contains("WARN Step flaky TOLERATED in 1 ms (continue_on_failure)");
    }

    @Test
    void secretsAreMaskedInCommandsOutputsAndFailures() throws Exception {
        // Arrange
        runtime.onExec(argv -> new ExecResult(1, "using hunter22\n", "", Duration.ofMillis(1), false));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "login"
                command = ["login", "--pass", "hunter22"]
                """);

        // Assert
        StepResult step = report.steps().get(0);
        assertThat(step.command()).isEqualTo(List.of("login", "--pass", "****"));
        assertThat(step.stdout()).isEqualTo("using ****\n");
        assertThat(step.failure()).doesNotContain("hunter22");
        assertThat(log.text()).doesNotContain("hunter22");
    }

    @Test
    void urlPasswordsAreMaskedInCommandsOutputsFailuresAndTheLog() throws Exception {
        // Arrange: the variable's name does not say "secret", and "pw" is too short to mask as a word
        runtime.onExec(argv -> new ExecResult(
                1,
                "connecting to postgres://app:pw@db/x\n",
                "FATAL: password authentication failed for postgres://admin:s3cr3t-pw@db/x",
                Duration.ofMillis(1),
                false));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "migrate"
                command = ["migrate", "--url", "postgres://app:pw@db/x"]
                env.DATABASE_URL = "postgres://admin:s3cr3t-pw@db/x"
                """);

        // Assert
        StepResult step = report.steps().get(0);
        assertThat(step.command()).isEqualTo(List.of("migrate", "--url", "postgres://app:****@db/x"));
        assertThat(step.stdout()).isEqualTo("connecting to postgres://app:****@db/x\n");
        assertThat(step.stderr()).isEqualTo("FATAL: password authentication failed for postgres://admin:****@db/x");
        assertThat(step.failure()).doesNotContain(":pw@").doesNotContain("s3cr3t-pw");
        assertThat(log.text()).doesNotContain(":pw@").doesNotContain("s3cr3t-pw");
    }

    @Test
    void aUrlPasswordWrittenInTheFileIsMaskedWhereverItAppearsAlone() throws Exception {
        // Arrange
        runtime.onExec(argv -> new ExecResult(1, "", "bad password s3cr3t-pw", Duration.ofMillis(1), false));

        // Act
        RunReport report = run("""
                [[steps]]
                name = "migrate"
                command = ["migrate"]
                env.DATABASE_URL = "postgres://admin:s3cr3t-pw@db/x"
                """);

        // Assert
        assertThat(report.steps().get(0).stderr()).isEqualTo("bad password ****");
        assertThat(log.text()).doesNotContain("s3cr3t-pw");
    }

    @Test
    void commandReachesTheContainerAsAnArgvListWithoutAShell() throws Exception {
        // Arrange
        List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        runtime.onExec(argv -> {
            seen.add(argv);
            return new ExecResult(0, "", "", Duration.ZERO, false);
        });

        // Act
        run("""
                [[steps]]
                name = "quoted"
                command = ["printf", "%s|", "a b", "$HOME", "'x'; rm -rf /"]
                """);

        // Assert
        assertThat(seen).containsExactly(List.of("printf", "%s|", "a b", "$HOME", "'x'; rm -rf /"));
    }
}
