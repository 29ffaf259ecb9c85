package dev.cleanroom.plugins.engines;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.spi.CleanroomException;
import java.nio.file.Path;

/**
 * A stand-in for a Maven build, run in its own JVM so that its environment (HOME, DOCKER_CONFIG,
 * no DOCKER_HOST) is the one under test: runs a file (start, steps, stop) and prints every log
 * line and each step's outcome. Exits 0 when the run passed, 1 when a step failed, 2 when the run
 * could not start. Arguments: file, project.
 */
public final class RunFile {

    private RunFile() {}

    public static void main(String[] args) {
        EngineLog log = new EngineLog() {
            @Override
            public void info(String message) {
                System.out.println("INFO " + message);
            }

            @Override
            public void warn(String message) {
                System.out.println("WARN " + message);
            }

            @Override
            public void debug(String message) {
                System.out.println("DEBUG " + message);
            }
        };
        CleanroomEngine engine =
                CleanroomEngine.builder().project(args[1]).log(log).build();
        try {
            RunReport report = engine.run(engine.load(Path.of(args[0])));
            for (StepResult step : report.steps()) {
                System.out.println("STEP " + step.name() + " " + step.status()
                        + (step.failure() == null ? "" : " " + step.failure()));
            }
            System.exit(report.passed() ? 0 : 1);
        } catch (CleanroomException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(2);
        }
    }
}
