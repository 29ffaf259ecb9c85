package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.CleanroomException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/** A container's output: its last lines, or followed line by line as it comes. */
final class Logs {

    /** Log output kept by {@link #tail}: its end, which is what "the last N lines" asks for. */
    static final int KEPT_LOG_BYTES = 1024 * 1024;

    /** A followed log line longer than this is matched by its beginning only. */
    static final int MAX_LINE_CHARS = 64 * 1024;

    /** A log stream outlives its limit by this much at most, in case nobody closes it. */
    private static final Duration FOLLOW_MARGIN = Duration.ofSeconds(5);

    private final DockerApi api;
    private final EngineLog log;

    Logs(DockerApi api, EngineLog log) {
        this.api = api;
        this.log = log;
    }

    /** The last {@code lines} lines; empty for a container that no longer exists. */
    String tail(String containerId, int lines) throws CleanroomException {
        CappedOutput output = new CappedOutput(0, KEPT_LOG_BYTES);
        try (DockerTransport.Exchange stream = api.open(
                "GET", "/containers/" + containerId + "/logs?stdout=true&stderr=true&tail=" + lines, Map.of(), null)) {
            StreamFrames.copy(stream.body(), (kind, payload, length) -> output.write(payload, length));
            return output.lastLines();
        } catch (IOException e) {
            if (DaemonFailures.interrupted(e)) {
                Thread.currentThread().interrupt();
                return output.lastLines();
            }
            if (DaemonFailures.notFound(e)) {
                return "";
            }
            throw DaemonFailures.failure(
                    "Could not read the logs of container " + containerId + ": " + DaemonFailures.said(e), e);
        }
    }

    /**
     * Follows the container's output from its start on a thread of its own. The stream ends when
     * the container stops, when the returned handle is closed, or at the latest {@link #FOLLOW_MARGIN}
     * after {@code limit}: nothing waits on it forever.
     */
    AutoCloseable follow(String containerId, Duration limit, Consumer<String> onLine) throws CleanroomException {
        DockerTransport.Exchange stream;
        try {
            // A quiet service may log nothing for its whole start timeout: the stream is bounded by
            // that (and the deadline below), not by the 30 s an ordinary call may stay silent.
            stream = api.open(
                    "GET",
                    "/containers/" + containerId + "/logs?follow=true&stdout=true&stderr=true",
                    Map.of(),
                    null,
                    DockerTimeouts.plusMargin(limit));
        } catch (IOException e) {
            throw DaemonFailures.failure(
                    "Could not follow the logs of container " + containerId + ": " + DaemonFailures.said(e), e);
        }
        ScheduledFuture<?> deadline = Deadlines.after(limit.plus(FOLLOW_MARGIN), () -> Deadlines.closeQuietly(stream));
        AutoCloseable handle = () -> {
            deadline.cancel(false);
            Deadlines.closeQuietly(stream);
        };
        Thread reader = new Thread(
                () -> {
                    LineSplitter stdout = new LineSplitter(onLine);
                    LineSplitter stderr = new LineSplitter(onLine);
                    try {
                        StreamFrames.copy(
                                stream.body(),
                                (kind, payload, length) ->
                                        (kind == StreamFrames.STDERR ? stderr : stdout).accept(payload, length));
                        stdout.flush();
                        stderr.flush();
                    } catch (IOException | RuntimeException e) {
                        // Closed by the caller or the deadline, or the daemon went away: the watch just sees no more
                        // lines.
                        log.debug("Following the logs of " + containerId + " ended: " + e.getMessage());
                    } finally {
                        deadline.cancel(false);
                        Deadlines.closeQuietly(stream);
                    }
                },
                "cleanroom-logs-" + containerId.substring(0, Math.min(12, containerId.length())));
        reader.setDaemon(true);
        reader.start();
        return handle;
    }

    /** Cuts one stream of a followed log into lines; a very long line is passed on by its beginning. */
    private static final class LineSplitter {
        private final Consumer<String> onLine;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean overlong;

        LineSplitter(Consumer<String> onLine) {
            this.onLine = onLine;
        }

        void accept(byte[] payload, int length) {
            for (int i = 0; i < length; i++) {
                if (payload[i] == '\n') {
                    flush();
                } else if (line.size() < MAX_LINE_CHARS) {
                    line.write(payload[i]);
                } else {
                    overlong = true;
                }
            }
        }

        void flush() {
            if (line.size() > 0 || overlong) {
                String text = line.toString(StandardCharsets.UTF_8);
                onLine.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
            }
            line.reset();
            overlong = false;
        }
    }
}
