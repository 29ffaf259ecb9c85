package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pid the daemon reports for a timed-out exec is a process on the daemon's host. When that host
 * is another machine, the same number here is an unrelated local process, which must survive.
 */
class RemoteDaemonKillExecTest {

    private Process bystander;

    @AfterEach
    void endBystander() {
        if (bystander != null) {
            bystander.destroyForcibly();
        }
    }

    /** Test double of a remote daemon whose exec never ends and reports {@code pid} as the exec's process. */
    private static final class HangingExecDaemon implements DockerTransport {
        private final long pid;
        private final java.util.concurrent.atomic.AtomicInteger execs = new java.util.concurrent.atomic.AtomicInteger();

        HangingExecDaemon(long pid) {
            this.pid = pid;
        }

        @Override
        public Exchange exchange(
                String method, String path, Map<String, String> headers, byte[] body, Duration idleTimeout) {
            if (path.endsWith("/exec/e1/start")) {
                return DockerRuntimeOutputTest.answer(200, new DockerRuntimeOutputTest.SilentUntilClosed());
            }
            if (path.endsWith("/exec/e1/json")) {
                return answer("{\"Pid\":" + pid + ",\"Running\":true}");
            }
            if (path.endsWith("/containers/c1/exec")) {
                // The step's exec first; then any other (a kill run in the container) ends at once.
                return answer("{\"Id\":\"" + (execs.getAndIncrement() == 0 ? "e1" : "e2") + "\"}");
            }
            if (path.endsWith("/exec/e2/start")) {
                return answer("");
            }
            if (path.endsWith("/exec/e2/json")) {
                return answer("{\"Running\":false,\"ExitCode\":0}");
            }
            return answer("{\"message\":\"no such exec\"}", 404);
        }

        @Override
        public String host() {
            return "tcp://10.231.7.2:2375";
        }

        private static Exchange answer(String json) {
            return answer(json, 200);
        }

        private static Exchange answer(String json, int status) {
            return DockerRuntimeOutputTest.answer(status, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    @Timeout(30)
    void aTimedOutExecOnARemoteDaemonNeverSignalsTheLocalProcessWithThePidTheDaemonReports() throws Exception {
        // Arrange: a local process whose pid the remote daemon happens to report for its exec
        bystander = new ProcessBuilder("sleep", "60").start();
        DockerRuntime runtime = new DockerRuntime(
                new DockerApi(new HangingExecDaemon(bystander.pid()), "1.41"), "10.231.7.2", EngineLog.silent());

        // Act
        ExecResult result = runtime.exec("c1", ExecRequest.of(List.of("sleep", "600"), Duration.ofMillis(200)));

        // Assert
        assertThat(result.timedOut()).isTrue();
        assertThat(bystander.waitFor(500, TimeUnit.MILLISECONDS))
                .as("the local process was signalled")
                .isFalse();
        assertThat(bystander.isAlive()).isTrue();
    }
}
