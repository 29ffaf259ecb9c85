package dev.cleanroom.engine.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine waits for a service: how often it asks {@link LegacyServicePlugin#healthCheck} and
 * how long it keeps asking before the start fails.
 *
 * @param maxFailures fail the start after this many unhealthy answers in a row; 0 means only
 *     the timeout counts
 */
public record WaitPolicy(Duration interval, Duration timeout, int maxFailures) {

    /** Poll every 100 ms: a check is cheap, and the sooner we see "ready" the sooner tests run. */
    public static final WaitPolicy DEFAULT = new WaitPolicy(Duration.ofMillis(100), Duration.ofSeconds(60), 0);

    public WaitPolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        if (maxFailures < 0) {
            throw new IllegalArgumentException("maxFailures must not be negative: " + maxFailures);
        }
    }
}
