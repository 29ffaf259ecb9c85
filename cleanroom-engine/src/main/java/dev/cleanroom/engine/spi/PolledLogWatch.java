package dev.cleanroom.engine.spi;

import java.time.Duration;
import java.util.regex.Pattern;

/** A {@link LogWatch} for backends that cannot follow a log: reads the last 10,000 lines on every status call. */
final class PolledLogWatch implements LogWatch {

    static final int LINES = 10_000;

    private final ContainerBackend backend;
    private final String containerId;
    private final Pattern pattern;
    private final Duration limit;
    private final long deadlineNanos;

    PolledLogWatch(ContainerBackend backend, String containerId, Pattern pattern, Duration limit) {
        this.backend = backend;
        this.containerId = containerId;
        this.pattern = pattern;
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    @Override
    public HealthStatus status() throws CleanroomException {
        String logs = backend.logs(containerId, LINES);
        try {
            return BoundedRegex.find(pattern, logs, deadlineNanos)
                    ? HealthProbes.logMatched(pattern)
                    : HealthProbes.noLogMatch(pattern);
        } catch (BoundedRegex.TooSlow e) {
            throw new CleanroomException(HealthProbes.logTooSlow(pattern, limit), e);
        }
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }
}
