package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.spi.BoundedRegex;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.LogWatch;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A log health check that follows the container's log stream: each line is matched once, as it
 * arrives, so a ready line anywhere in a large log is seen and nothing is re-read on every poll.
 * Memory stays bounded (one line at a time). The stream is closed on the first match, when the
 * pattern backtracks past the limit, and when the container is stopped.
 */
final class FollowedLog implements LogWatch, Consumer<String> {

    /** A line that takes longer than this to match is named in the status. */
    private static final Duration SLOW_MATCH = Duration.ofSeconds(1);

    private final Pattern pattern;
    private final Duration limit;
    private final long deadlineNanos;
    private AutoCloseable stream;
    private boolean matched;
    private String tooSlow;
    private boolean closed;
    /** When the line being matched now began to be matched; 0 between lines. */
    private volatile long matchingSince;

    FollowedLog(Pattern pattern, Duration limit) {
        this.pattern = pattern;
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /** Starts following with the runtime: lines may arrive before this returns. */
    static FollowedLog start(ContainerRuntime runtime, String containerId, Pattern pattern, Duration limit)
            throws CleanroomException {
        FollowedLog watch = new FollowedLog(pattern, limit);
        watch.attach(runtime.followLogs(containerId, limit, watch));
        return watch;
    }

    private void attach(AutoCloseable opened) {
        boolean done;
        synchronized (this) {
            stream = opened;
            done = closed || matched || tooSlow != null;
        }
        if (done) {
            closeStream();
        }
    }

    @Override
    public void accept(String line) {
        synchronized (this) {
            if (matched || tooSlow != null || closed) {
                return;
            }
        }
        // Matched outside the lock: a slow match must not block status() calls.
        boolean found;
        matchingSince = System.nanoTime();
        try {
            found = BoundedRegex.find(pattern, line, deadlineNanos);
        } catch (BoundedRegex.TooSlow e) {
            synchronized (this) {
                tooSlow = HealthProbes.logTooSlow(pattern, limit);
            }
            closeStream();
            return;
        } finally {
            matchingSince = 0;
        }
        if (found) {
            synchronized (this) {
                matched = true;
            }
            closeStream();
        }
    }

    @Override
    public synchronized HealthStatus status() throws CleanroomException {
        if (matched) {
            return HealthProbes.logMatched(pattern);
        }
        if (tooSlow != null) {
            throw new CleanroomException(tooSlow);
        }
        long since = matchingSince;
        if (since != 0 && System.nanoTime() - since > SLOW_MATCH.toNanos()) {
            // The engine's start timeout may pass before this watch's: say why the check is stuck.
            return HealthStatus.notYet("matching one log line against /" + pattern.pattern() + "/ has taken "
                    + Durations.format(Duration.ofNanos(System.nanoTime() - since))
                    + " so far (catastrophic backtracking?)");
        }
        return HealthProbes.noLogMatch(pattern);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        closeStream();
    }

    private void closeStream() {
        AutoCloseable open;
        synchronized (this) {
            open = stream;
            stream = null;
        }
        if (open != null) {
            try {
                open.close();
            } catch (Exception ignored) {
                // Closing only ends the reading; a stream that is gone already is fine.
            }
        }
    }
}
