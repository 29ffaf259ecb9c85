package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** What {@link DockerRuntime#exec} keeps of a command's output, over a scripted Engine API. */
class DockerRuntimeOutputTest {

    /** A 400-byte line, as a service's JSON log line might be. */
    static final String LINE = "{\"level\":\"info\",\"msg\":\"" + "x".repeat(374) + "\"}\n";

    @Test
    void outputOfMoreThanOneMebibyteKeepsItsBeginningAndItsEnd() throws Exception {
        // Arrange: 1.2 MB of lines, then the line a step's regex looks for
        byte[] stdout = (LINE.repeat(3000) + "ALL TESTS PASSED\n").getBytes(StandardCharsets.UTF_8);
        DockerRuntime runtime = runtimeAnsweringExecWith(stdout);

        // Act
        ExecResult result =
                runtime.exec("c1", ExecRequest.of(List.of("sh", "-c", "print-a-lot"), Duration.ofSeconds(5)));

        // Assert
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith(LINE).endsWith("\n" + LINE + "ALL TESTS PASSED\n");
        assertThat(result.stdout().length()).isLessThan(stdout.length);
    }

    @Test
    void outputOfMoreThanOneMebibyteSaysWhereItWasCut() throws Exception {
        // Arrange
        byte[] stdout = (LINE.repeat(3000) + "ALL TESTS PASSED\n").getBytes(StandardCharsets.UTF_8);

        // Act
        ExecResult result = runtimeAnsweringExecWith(stdout)
                .exec("c1", ExecRequest.of(List.of("print-a-lot"), Duration.ofSeconds(5)));

        // Assert: 1310 whole lines of the head, 1310 of the tail and the last line
        assertThat(result.stdoutCut())
                .hasValueSatisfying(cut -> assertThat(cut.describe("stdout"))
                        .isEqualTo("stdout was cut: kept the first 524000 and the last 524017 of 1200017 bytes"));
        assertThat(result.stdout()).contains("\n[cleanroom: 152000 bytes of stdout cut here]\n");
        assertThat(result.stderrCut()).isEmpty();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void followedLogPassesWholeLinesOfBothStreamsAsTheyArrive() throws Exception {
        // Arrange: a line split over two frames, and a stderr line between
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        log.writeBytes(framed(1, "booting\nStarted ".getBytes(StandardCharsets.UTF_8)));
        log.writeBytes(framed(2, "warning: slow disk\n".getBytes(StandardCharsets.UTF_8)));
        log.writeBytes(framed(1, "in 1.0 seconds\r\n".getBytes(StandardCharsets.UTF_8)));
        DockerRuntime runtime = runtimeAnswering(
                "/containers/c1/logs?follow=true&stdout=true&stderr=true", new ByteArrayInputStream(log.toByteArray()));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        // Act
        runtime.followLogs("c1", Duration.ofSeconds(10), lines::add);

        // Assert
        assertThat(List.of(lines.take(), lines.take(), lines.take()))
                .containsExactly("booting", "warning: slow disk", "Started in 1.0 seconds");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void closingAFollowedLogEndsItsReaderWhileTheContainerStillRuns() throws Exception {
        // Arrange: a stream that never ends by itself, as a running container's
        DockerRuntime runtime =
                runtimeAnswering("/containers/c1/logs?follow=true&stdout=true&stderr=true", new SilentUntilClosed());
        AutoCloseable follow = runtime.followLogs("c1", Duration.ofMinutes(10), line -> {});
        Thread reader = readerThread();

        // Act
        follow.close();
        reader.join();

        // Assert
        assertThat(reader.isAlive()).isFalse();
    }

    private static Thread readerThread() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals("cleanroom-logs-c1")) {
                    return thread;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no reader thread cleanroom-logs-c1");
    }

    static DockerRuntime runtimeAnswering(String logsPath, InputStream logs) {
        DockerTransport transport = new ScriptedTransport() {
            @Override
            public Exchange exchange(
                    String method,
                    String path,
                    Map<String, String> headers,
                    byte[] body,
                    java.time.Duration idleTimeout) {
                if (path.endsWith(logsPath)) {
                    return answer(200, logs);
                }
                return answer(404, "{\"message\":\"no such path in this test\"}".getBytes(StandardCharsets.UTF_8));
            }
        };
        return new DockerRuntime(new DockerApi(transport, "1.41"), "127.0.0.1", EngineLog.silent());
    }

    static DockerRuntime runtimeAnsweringExecWith(byte[] stdout) {
        DockerTransport transport = new ScriptedTransport() {
            @Override
            public Exchange exchange(
                    String method,
                    String path,
                    Map<String, String> headers,
                    byte[] body,
                    java.time.Duration idleTimeout) {
                if (path.endsWith("/containers/c1/exec")) {
                    return answer(200, "{\"Id\":\"e1\"}".getBytes(StandardCharsets.UTF_8));
                }
                if (path.endsWith("/exec/e1/start")) {
                    return answer(200, framed(1, stdout));
                }
                if (path.endsWith("/exec/e1/json")) {
                    return answer(200, "{\"Running\":false,\"ExitCode\":0}".getBytes(StandardCharsets.UTF_8));
                }
                return answer(404, "{\"message\":\"no such path in this test\"}".getBytes(StandardCharsets.UTF_8));
            }
        };
        return new DockerRuntime(new DockerApi(transport, "1.41"), "127.0.0.1", EngineLog.silent());
    }

    /** The daemon's multiplexed stream: an 8-byte header per frame, frames of at most 64 KiB. */
    static byte[] framed(int stream, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < payload.length; at += 65536) {
            int length = Math.min(65536, payload.length - at);
            out.writeBytes(new byte[] {
                (byte) stream,
                0,
                0,
                0,
                (byte) (length >>> 24),
                (byte) (length >>> 16),
                (byte) (length >>> 8),
                (byte) length
            });
            out.write(payload, at, length);
        }
        return out.toByteArray();
    }

    static DockerTransport.Exchange answer(int status, byte[] body) {
        return answer(status, new ByteArrayInputStream(body));
    }

    /** An answer whose close closes its body, as closing a socket ends a blocked read. */
    static DockerTransport.Exchange answer(int status, InputStream in) {
        return new DockerTransport.Exchange() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.empty();
            }

            @Override
            public InputStream body() {
                return in;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    /** A stream that sends nothing and blocks its reader until it is closed, as an idle socket does. */
    static final class SilentUntilClosed extends InputStream {
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public int read() throws IOException {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("Socket closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    /** A transport that answers from the test's script; only {@code exchange} differs between tests. */
    abstract static class ScriptedTransport implements DockerTransport {
        @Override
        public String host() {
            return "unix:///scripted.sock";
        }
    }
}
