package dev.cleanroom.engine.internal.docker;

import java.time.Duration;

/**
 * How long each Docker call may wait for the daemon, so that a daemon that accepts connections
 * and never answers (hung, or a stuck socket proxy) fails the build with a message instead of
 * hanging it. Every bound but {@link #CONNECT} is an idle bound: it counts from the last byte
 * received, so a long answer that keeps coming (a pull's progress) is never cut.
 *
 * <p>The values are chosen so that no legitimate wait trips them on a loaded machine: a call the
 * daemon answers at once gets tens of seconds, a call that waits on purpose gets its own wait
 * plus {@link #MARGIN}. site/markdown/getting-started.md lists them.
 */
public final class DockerTimeouts {

    /** Opening the connection: a local socket connects at once, a TCP daemon within a round trip. */
    public static final Duration CONNECT = Duration.ofSeconds(5);

    /** {@code /_ping} answers without taking any daemon lock; it is how a build finds out the daemon is hung. */
    public static final Duration PING = Duration.ofSeconds(10);

    /** Create, start, inspect, remove, list, networks: milliseconds normally, seconds under load. */
    public static final Duration ORDINARY = Duration.ofSeconds(30);

    /** Added to a wait the call makes on purpose (a stop's grace period, a step's timeout). */
    public static final Duration MARGIN = Duration.ofSeconds(30);

    /** A pull sends progress while it downloads and extracts; this long without a byte means it is stuck. */
    public static final Duration PULL_IDLE = Duration.ofMinutes(5);

    /** No bound: the caller ends the wait itself (closes the exchange). */
    public static final Duration NONE = Duration.ZERO;

    private DockerTimeouts() {}

    /** A wait of {@code onPurpose} plus {@link #MARGIN}. */
    public static Duration plusMargin(Duration onPurpose) {
        return onPurpose.plus(MARGIN);
    }
}
