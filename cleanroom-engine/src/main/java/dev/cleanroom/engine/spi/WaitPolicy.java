package dev.cleanroom.engine.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine waits for a service: how often it asks {@link Service#checkHealth} and how long
 * it keeps asking before the start fails. A final class rather than a record so it can gain
 * settings without breaking compiled plugins.
 */
public final class WaitPolicy {

    /** Poll every 100 ms: a check is cheap, and the sooner we see "ready" the sooner tests run. */
    public static final WaitPolicy DEFAULT = of(Duration.ofMillis(100), Duration.ofSeconds(60), 0);

    private final Duration interval;
    private final Duration timeout;
    private final int maxFailures;

    private WaitPolicy(Duration interval, Duration timeout, int maxFailures) {
        this.interval = Objects.requireNonNull(interval, "interval");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        if (maxFailures < 0) {
            throw new IllegalArgumentException("maxFailures must not be negative: " + maxFailures);
        }
        this.maxFailures = maxFailures;
    }

    /**
     * @param maxFailures fail the start after this many unhealthy answers in a row; 0 means only
     *     the timeout counts
     */
    public static WaitPolicy of(Duration interval, Duration timeout, int maxFailures) {
        return new WaitPolicy(interval, timeout, maxFailures);
    }

    public Duration interval() {
        return interval;
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxFailures() {
        return maxFailures;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WaitPolicy p
                && p.interval.equals(interval)
                && p.timeout.equals(timeout)
                && p.maxFailures == maxFailures;
    }

    @Override
    public int hashCode() {
        return Objects.hash(interval, timeout, maxFailures);
    }

    @Override
    public String toString() {
        return "WaitPolicy[interval=" + interval + ", timeout=" + timeout + ", maxFailures=" + maxFailures + "]";
    }
}
