package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** Commands run in running containers ({@code docker exec}), with their output bounded and their time limited. */
final class Execs {

    /**
     * Output kept per stream of an exec: its first and its last 512 KiB. More is cut in the
     * middle (and the result says so), so a chatty command cannot exhaust the heap.
     */
    static final int KEPT_HEAD_BYTES = 512 * 1024;

    static final int KEPT_TAIL_BYTES = 512 * 1024;

    /** After an exec's output ends, the daemon may take a moment to record its exit code. */
    private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(2);

    private final DockerApi api;
    private final ServiceReach reach;
    private final EngineLog log;

    Execs(DockerApi api, ServiceReach reach, EngineLog log) {
        this.api = api;
        this.reach = reach;
        this.log = log;
    }

    ExecResult exec(String containerId, ExecRequest request) throws CleanroomException {
        long started = System.nanoTime();
        String execId;
        try {
            execId = Listings.createdId(
                    api.callForObject("POST", "/containers/" + containerId + "/exec", body(request)));
        } catch (IOException e) {
            throw DaemonFailures.failure(
                    "Could not run " + request.argv() + " in container " + containerId + ": " + DaemonFailures.said(e),
                    e);
        }
        ExecOutput output = new ExecOutput();
        AtomicBoolean timedOut = new AtomicBoolean();
        // The step's own deadline ends the wait; the bound only catches a daemon that stops answering.
        Duration idleTimeout = request.timeout().map(DockerTimeouts::plusMargin).orElse(DockerTimeouts.NONE);
        try (DockerTransport.Exchange stream = api.open(
                "POST", "/exec/" + execId + "/start", Map.of(), Map.of("Detach", false, "Tty", false), idleTimeout)) {
            ScheduledFuture<?> deadline = request.timeout()
                    .map(timeout -> Deadlines.after(timeout, () -> {
                        timedOut.set(true);
                        Deadlines.closeQuietly(stream);
                    }))
                    .orElse(null);
            try {
                StreamFrames.copy(stream.body(), output);
            } catch (IOException e) {
                if (!timedOut.get()) {
                    throw e;
                }
            } finally {
                if (deadline != null) {
                    deadline.cancel(false);
                }
            }
            if (timedOut.get()) {
                killExec(containerId, execId);
                return output.result(-1, Duration.ofNanos(System.nanoTime() - started), true);
            }
            return output.result(exitCode(execId), Duration.ofNanos(System.nanoTime() - started), false);
        } catch (IOException e) {
            if (DaemonFailures.interrupted(e)) {
                Thread.currentThread().interrupt();
                killExec(containerId, execId);
                throw DaemonFailures.failure("Interrupted while running " + request.argv(), e);
            }
            throw DaemonFailures.failure(
                    "Running " + request.argv() + " in container " + containerId + " failed: " + DaemonFailures.said(e),
                    e);
        }
    }

    private static Map<String, Object> body(ExecRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("AttachStdout", true);
        body.put("AttachStderr", true);
        body.put("Cmd", request.argv());
        if (!request.env().isEmpty()) {
            body.put("Env", CreateBody.envList(request.env()));
        }
        request.workdir().ifPresent(workdir -> body.put("WorkingDir", workdir));
        return body;
    }

    private ExecInspect inspect(String execId) throws IOException {
        return ExecInspect.of(api.callForObject("GET", "/exec/" + execId + "/json", null));
    }

    private int exitCode(String execId) throws IOException {
        long deadline = System.nanoTime() + EXIT_CODE_WAIT.toNanos();
        while (true) {
            Optional<Integer> exitCode = inspect(execId).finishedWith();
            if (exitCode.isPresent()) {
                return exitCode.get();
            }
            if (System.nanoTime() > deadline) {
                return -1;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /**
     * Docker has no "kill exec" call. The exec's process is a process on the daemon's host; when
     * that is this host we learn its pid inside the container from /proc and kill it there with
     * the container's own {@code kill}, and failing that, from here. Only there: with a daemon on
     * another host, or this build in a container (another pid namespace), the daemon's pid names
     * some unrelated process here, which must never be signalled.
     */
    private void killExec(String containerId, String execId) {
        try {
            long hostPid = inspect(execId).hostPid();
            if (hostPid <= 0 || !reach.sharesProcessesWithDaemon()) {
                return;
            }
            Optional<String> pidInContainer = namespacePid(hostPid);
            if (pidInContainer.isPresent()) {
                exec(
                        containerId,
                        ExecRequest.of(List.of("kill", "-KILL", pidInContainer.get()), Duration.ofSeconds(5)));
            }
            if (inspect(execId).running() && pidInContainer.isPresent()) {
                ProcessHandle.of(hostPid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (inspect(execId).running()) {
                log.warn("A timed-out command is still running in container " + containerId
                        + "; it ends when the container is removed.");
            }
        } catch (IOException | CleanroomException | RuntimeException e) {
            log.debug("Could not kill timed-out exec " + execId + ": " + e.getMessage());
        }
    }

    /**
     * The pid of a container's process in the container's own pid namespace, read from this
     * host's /proc. Empty for a process that is in no nested namespace: that is no container's
     * process, and nothing may signal it.
     */
    private static Optional<String> namespacePid(long hostPid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(hostPid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] pids = line.substring(6).trim().split("\\s+");
                    return pids.length > 1 ? Optional.of(pids[pids.length - 1]) : Optional.empty();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not on the daemon's host, or the process is gone: nothing to translate.
        }
        return Optional.empty();
    }

    /** Collects stdout and stderr of an exec apart, each as a bounded head and tail. */
    private static final class ExecOutput implements StreamFrames.Sink {
        private final CappedOutput stdout = new CappedOutput(KEPT_HEAD_BYTES, KEPT_TAIL_BYTES);
        private final CappedOutput stderr = new CappedOutput(KEPT_HEAD_BYTES, KEPT_TAIL_BYTES);

        @Override
        public void accept(int stream, byte[] payload, int length) {
            (stream == StreamFrames.STDERR ? stderr : stdout).write(payload, length);
        }

        ExecResult result(int exitCode, Duration duration, boolean timedOut) {
            CappedOutput.Captured out = stdout.captured("stdout");
            CappedOutput.Captured err = stderr.captured("stderr");
            return new ExecResult(exitCode, out.text(), err.text(), duration, timedOut, out.cut(), err.cut());
        }
    }
}
