package dev.cleanroom.engine.internal.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Ends the wait of timed-out execs and followed logs by closing their stream; one daemon thread for the whole JVM. */
final class Deadlines {

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cleanroom-exec-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private Deadlines() {}

    /** Runs {@code action} after {@code delay} unless the result is cancelled first. */
    static ScheduledFuture<?> after(Duration delay, Runnable action) {
        return DEADLINES.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    static void closeQuietly(DockerTransport.Exchange exchange) {
        try {
            exchange.close();
        } catch (IOException ignored) {
            // Closing is how a timed-out read is ended; nothing else to do.
        }
    }
}
