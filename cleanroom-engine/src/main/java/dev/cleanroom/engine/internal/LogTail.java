package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;

/**
 * The last lines of a service's log, as failures show them: a service that exited or crashed is
 * explained by what it wrote last far more often than by anything the engine knows.
 */
final class LogTail {

    static final int LINES = 20;

    private LogTail() {}

    /** "\n  Last log lines of NAME:\n    | ...", or why there are none; never throws. */
    static String of(ContainerBackend backend, String containerId, String serviceName) {
        try {
            String logs = backend.logs(containerId, LINES);
            return logs.isBlank()
                    ? "\n  It wrote no log output."
                    : "\n  Last log lines of " + serviceName + ":\n    | "
                            + String.join("\n    | ", logs.stripTrailing().split("\r?\n"));
        } catch (CleanroomException e) {
            return "\n  (its logs could not be read: " + e.getMessage() + ")";
        }
    }
}
