package dev.cleanroom.engine.report;

import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.api.StepResult.Status;
import dev.cleanroom.engine.spi.ServiceHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One run with a step of every outcome, as the engine would report it. */
final class ReportFixture {

    private ReportFixture() {}

    static RunReport oneStepOfEachOutcome() {
        ServiceHandle handle = ServiceHandle.builder("web", "c0ffee", "127.0.0.1")
                .ports(Map.of(8080, 32780))
                .endpoints(Map.of("url", "http://127.0.0.1:32780"))
                .build();
        StartedService web = new StartedService(
                "web",
                "generic_container",
                "cleanroom/busybox:fixture",
                handle,
                Duration.ofMillis(1200),
                "sha256:" + "ab".repeat(32));
        List<StepResult> steps = List.of(
                new StepResult(
                        "says_hello",
                        "web",
                        List.of("echo", "hello"),
                        Status.PASSED,
                        0,
                        Duration.ofMillis(110),
                        "hello\n",
                        "",
                        ""),
                new StepResult(
                        "greets_the_world",
                        "web",
                        List.of("echo", "goodbye <cruel> \"world\""),
                        Status.FAILED,
                        0,
                        Duration.ofMillis(1500),
                        "goodbye <cruel> \"world\"\n",
                        "oops ]]> & more\n",
                        "Step \"greets_the_world\" output does not match expected_output_regex /hello, world/\n"
                                + "output: goodbye"),
                new StepResult(
                        "may_fail",
                        "web",
                        List.of("false"),
                        Status.TOLERATED,
                        1,
                        Duration.ofMillis(20),
                        "",
                        "",
                        "Step \"may_fail\" exited with 1, expected 0"),
                new StepResult(
                        "never_ran",
                        "web",
                        List.of("true"),
                        Status.SKIPPED,
                        -1,
                        Duration.ZERO,
                        "",
                        "",
                        "skipped because step \"greets_the_world\" failed"));
        return new RunReport(
                Path.of("src/test/cleanroom/half-right.clnrm.toml"),
                "half right",
                List.of(web),
                steps,
                Duration.ofMillis(1300),
                Duration.ofMillis(1630),
                Duration.ofMillis(320));
    }
}
