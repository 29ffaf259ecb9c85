package dev.cleanroom.engine.api;

import dev.cleanroom.engine.config.TestFile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The running services of one file. Closing it removes every container and the network of the
 * run; so does the end of the JVM, should nobody close it.
 */
public interface Environment extends AutoCloseable {

    String runId();

    TestFile file();

    List<StartedService> services();

    default Optional<StartedService> service(String name) {
        return services().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    Duration startDuration();

    /** Runs the file's steps in order against the running services. */
    List<StepResult> runSteps();

    /** Removes everything of this run; idempotent. Returns how long the removal took. */
    Duration stop();

    @Override
    default void close() {
        stop();
    }
}
