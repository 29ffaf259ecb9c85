package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.api.StepResult.Status;
import dev.cleanroom.engine.config.StepConfig;
import dev.cleanroom.engine.spi.BoundedRegex;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Runs steps in file order inside their services' containers and judges each one. */
final class StepRunner {

    /** A step without a timeout still must not hang a build forever. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    static final int TAIL_LINES = 20;

    private final ContainerBackend backend;
    private final Map<String, StartedService> services;
    private final Redactor redactor;
    private final EngineLog log;

    StepRunner(ContainerBackend backend, Map<String, StartedService> services, Redactor redactor, EngineLog log) {
        this.backend = backend;
        this.services = services;
        this.redactor = redactor;
        this.log = log;
    }

    List<StepResult> run(List<StepConfig> steps) {
        List<StepResult> results = new ArrayList<>();
        boolean skipRest = false;
        for (StepConfig step : steps) {
            List<String> shownCommand = redactor.apply(step.command());
            if (skipRest) {
                results.add(new StepResult(
                        step.name(),
                        step.service(),
                        shownCommand,
                        Status.SKIPPED,
                        -1,
                        Duration.ZERO,
                        "",
                        "",
                        "not run: an earlier step failed"));
                log.info("Step " + step.name() + " SKIPPED (an earlier step failed)");
                continue;
            }
            StepResult result = runOne(step, shownCommand);
            results.add(result);
            logResult(result);
            skipRest = result.status() == Status.FAILED;
        }
        return results;
    }

    private StepResult runOne(StepConfig step, List<String> shownCommand) {
        StartedService service = services.get(step.service());
        Duration timeout = step.timeout().orElse(DEFAULT_TIMEOUT);
        ExecResult result;
        try {
            result = backend.exec(
                    service.handle().containerId(),
                    withWorkdirIfAny(ExecRequest.of(step.command(), timeout).withEnv(step.env()), step.workdir()));
        } catch (CleanroomException e) {
            return judged(
                    step,
                    shownCommand,
                    new ExecResult(-1, "", "", Duration.ZERO, false),
                    "could not run: "
                            + whyNotRun(step.service(), service.handle().containerId(), e));
        }
        return judged(step, shownCommand, result, verdict(step, result, timeout));
    }

    /**
     * A service that exited during the run (a crash, or without a health check one that exited
     * right after it was seen running) is the usual reason an exec fails: say how it exited and
     * what it wrote last, not the daemon's "container ... is not running".
     */
    private String whyNotRun(String serviceName, String containerId, CleanroomException execFailure) {
        ContainerState state;
        try {
            state = backend.inspect(containerId);
        } catch (CleanroomException e) {
            return execFailure.getMessage();
        }
        if (state.running()) {
            return execFailure.getMessage();
        }
        return "service " + serviceName + " is no longer running: it " + state.describe()
                + LogTail.of(backend, containerId, serviceName);
    }

    private static ExecRequest withWorkdirIfAny(ExecRequest request, java.util.Optional<String> workdir) {
        return workdir.map(request::withWorkdir).orElse(request);
    }

    /** Empty when the step passed, else what was expected and what happened. */
    private static String verdict(StepConfig step, ExecResult result, Duration timeout) {
        if (result.timedOut()) {
            return "timed out after " + Durations.format(timeout) + " and was killed";
        }
        if (result.exitCode() != step.expectedExitCode()) {
            return "exited with code " + result.exitCode() + ", expected " + step.expectedExitCode();
        }
        if (step.expectedOutput().isPresent()) {
            Pattern expected = step.expectedOutput().get();
            try {
                if (!matches(expected, result, System.nanoTime() + timeout.toNanos())) {
                    return "its output does not match expected_output_regex /" + expected.pattern() + "/";
                }
            } catch (BoundedRegex.TooSlow e) {
                return BoundedRegex.tooSlowMessage("expected_output_regex", expected, Durations.format(timeout));
            }
        }
        return "";
    }

    /**
     * Matches stdout; when it was cut, its kept head and tail one after the other (a match across
     * the cut cannot be seen). Bounded by the step's timeout, counted afresh: the command may
     * have used most of it, and the match deserves its own.
     */
    private static boolean matches(Pattern expected, ExecResult result, long deadlineNanos) {
        if (result.stdoutCut().isEmpty()) {
            return BoundedRegex.find(expected, result.stdout(), deadlineNanos);
        }
        for (CharSequence part : result.stdoutCut().get().parts(result.stdout())) {
            if (BoundedRegex.find(expected, part, deadlineNanos)) {
                return true;
            }
        }
        return false;
    }

    private StepResult judged(StepConfig step, List<String> shownCommand, ExecResult result, String failure) {
        Status status = failure.isEmpty() ? Status.PASSED : step.continueOnFailure() ? Status.TOLERATED : Status.FAILED;
        String stdout = redactor.apply(result.stdout());
        String stderr = redactor.apply(result.stderr());
        String cuts = cuts(result);
        String message = failure.isEmpty()
                ? ""
                : redactor.apply(describeFailure(step, shownCommand, failure, cuts, stdout, stderr));
        return new StepResult(
                step.name(),
                step.service(),
                shownCommand,
                status,
                result.exitCode(),
                result.duration(),
                stdout,
                stderr,
                message,
                cuts);
    }

    /** "stdout was cut: kept the first ... of ... bytes", for each stream that was; empty when none was. */
    static String cuts(ExecResult result) {
        List<String> cuts = new ArrayList<>();
        result.stdoutCut().ifPresent(cut -> cuts.add(cut.describe("stdout")));
        result.stderrCut().ifPresent(cut -> cuts.add(cut.describe("stderr")));
        return String.join("; ", cuts);
    }

    private static String describeFailure(
            StepConfig step, List<String> command, String failure, String cuts, String stdout, String stderr) {
        // A failure that quotes log lines ends with them: a full stop there would read as the log's.
        return "Step \"" + step.name() + "\" failed: " + failure + (failure.contains("\n") ? "" : ".") + "\n"
                + "  step: " + step.position() + ", service: " + step.service() + "\n"
                + "  command: " + quoted(command) + "\n"
                + (cuts.isEmpty() ? "" : "  output: " + cuts + " (a regex match across a cut cannot be seen)\n")
                + "  stdout" + tail(stdout) + "\n"
                + "  stderr" + tail(stderr);
    }

    private static String quoted(List<String> command) {
        return command.stream()
                .map(a -> "\"" + a.replace("\"", "\\\"") + "\"")
                .toList()
                .toString();
    }

    static String tail(String output) {
        if (output.isBlank()) {
            return ": (empty)";
        }
        List<String> lines = Arrays.asList(output.stripTrailing().split("\r?\n"));
        List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        String heading = lines.size() > TAIL_LINES ? " (last " + TAIL_LINES + " of " + lines.size() + " lines):" : ":";
        return heading + "\n    | " + String.join("\n    | ", last);
    }

    private void logResult(StepResult result) {
        String line = "Step " + result.name() + " " + result.status() + " in " + Durations.format(result.duration())
                + (result.outputCut().isEmpty() ? "" : " (" + result.outputCut() + ")");
        switch (result.status()) {
            case PASSED -> log.info(line);
            case TOLERATED -> log.warn(line + " (continue_on_failure)\n" + result.failure());
            default -> log.warn(line + "\n" + result.failure());
        }
    }
}
