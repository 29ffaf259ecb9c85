package dev.cleanroom.engine.internal.docker;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends a blocking socket operation that waits longer than its bound by closing its channel.
 *
 * <p>Why not SO_TIMEOUT: a Unix-domain {@code SocketChannel} has no socket timeout (its
 * {@code socket()} is unsupported), and channel reads ignore SO_TIMEOUT even on TCP. Closing the
 * channel from another thread is the one way to end such a read, for both. One daemon thread
 * looks at the operations under way four times a second; only operations waiting right now are
 * in its set, so an idle JVM costs a wake-up and an empty loop.
 */
final class StallWatchdog {

    private static final long CHECK_EVERY_MILLIS = 250;
    private static final Set<Wait> WAITING = ConcurrentHashMap.newKeySet();
    private static ScheduledExecutorService checker;

    private StallWatchdog() {}

    /** One blocking operation under way on {@code channel}, bounded by {@code limitNanos} from its start. */
    static final class Wait implements AutoCloseable {
        private final Channel channel;
        private final long deadline;
        private volatile boolean fired;

        private Wait(Channel channel, long limitNanos) {
            this.channel = channel;
            this.deadline = System.nanoTime() + limitNanos;
        }

        /** Whether the watchdog closed the channel: the operation's failure is a timeout. */
        boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            WAITING.remove(this);
        }

        private void fireIfLate(long now) {
            if (now - deadline >= 0) {
                fired = true;
                WAITING.remove(this);
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Closing is the point; the waiting thread reports the timeout.
                }
            }
        }
    }

    /** Starts watching one operation; close the result when it returns. A zero limit watches nothing. */
    static Wait watch(Channel channel, java.time.Duration limit) {
        Wait wait = new Wait(channel, limit.toNanos());
        if (!limit.isZero()) {
            ensureChecking();
            WAITING.add(wait);
        }
        return wait;
    }

    private static synchronized void ensureChecking() {
        if (checker == null) {
            checker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "cleanroom-docker-watchdog");
                thread.setDaemon(true);
                return thread;
            });
            checker.scheduleWithFixedDelay(
                    StallWatchdog::check, CHECK_EVERY_MILLIS, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static void check() {
        long now = System.nanoTime();
        for (Wait wait : WAITING) {
            wait.fireIfLate(now);
        }
    }
}
