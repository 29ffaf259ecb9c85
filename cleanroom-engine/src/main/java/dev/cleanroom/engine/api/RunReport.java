package dev.cleanroom.engine.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The outcome of starting a file's services, running its steps and stopping everything. */
public record RunReport(
        Path file,
        String name,
        List<StartedService> services,
        List<StepResult> steps,
        Duration startDuration,
        Duration stepsDuration,
        Duration stopDuration) {

    public RunReport {
        services = List.copyOf(services);
        steps = List.copyOf(steps);
    }

    /** True when no step failed; tolerated failures do not count. */
    public boolean passed() {
        return count(StepResult.Status.FAILED) == 0;
    }

    public long count(StepResult.Status status) {
        return steps.stream().filter(s -> s.status() == status).count();
    }

    public List<StepResult> failures() {
        return steps.stream()
                .filter(s -> s.status() == StepResult.Status.FAILED)
                .toList();
    }
}
