package dev.cleanroom.engine.testing;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.LogWatch;
import dev.cleanroom.engine.spi.PortSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.regex.Pattern;

/**
 * Test double of the {@link ContainerBackend} the engine hands one service: it starts nothing,
 * records what a plugin asks of it (the specs it started, the ids it stopped, the argv of each
 * exec, its log watches) and answers as the test scripts it. For unit tests of a plugin's
 * {@code Service} without Docker and without the engine; pair it with {@link StubServiceContext}.
 * For a whole run through the engine (networks, images, teardown) use {@link FakeRuntime}.
 *
 * <p>Unscripted, every start succeeds (ids {@code c1}, {@code c2}, ...; a dynamic port is
 * published on host port 30000 + container port, on 127.0.0.1), every container is running with
 * an empty log, and an exec fails the test: a plugin's commands are the test's to answer, with
 * {@link #onExec}. Extend it for a double with behaviour of its own (a daemon that refuses GPU
 * requests, say).
 */
public class StubBackend implements ContainerBackend {

    /** Answers a start: the container {@code spec} gets ({@code planned}, or another), or a throw. */
    @FunctionalInterface
    public interface StartAnswer {
        ContainerInfo answer(ContainerSpec spec, ContainerInfo planned) throws CleanroomException;
    }

    /** Answers an exec of {@code argv}: its result, or a throw. */
    @FunctionalInterface
    public interface ExecAnswer {
        ExecResult answer(List<String> argv) throws CleanroomException;
    }

    private final List<ContainerSpec> started = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stopped = Collections.synchronizedList(new ArrayList<>());
    private final List<List<String>> execs = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();
    private final Map<String, List<String>> logs = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> logReads = new ConcurrentHashMap<>();
    private final AtomicInteger logWatches = new AtomicInteger();
    private final AtomicInteger openLogWatches = new AtomicInteger();
    private volatile IntUnaryOperator hostPorts = containerPort -> 30000 + containerPort;
    private volatile StartAnswer startAnswer = (spec, planned) -> planned;
    private volatile ExecAnswer execAnswer = argv -> {
        throw new UnsupportedOperationException(
                "StubBackend: no exec answer scripted for " + argv + "; give the test one with onExec(...)");
    };

    /** A successful exec's result: exit code 0 with {@code stdout}. */
    public static ExecResult output(String stdout) {
        return new ExecResult(0, stdout, "", Duration.ofMillis(1), false);
    }

    /** Starts are answered by {@code answer}; a spec is recorded as started only when it returns. */
    public StubBackend onStart(StartAnswer answer) {
        this.startAnswer = answer;
        return this;
    }

    /** Every exec is answered by {@code answer}, after its argv is recorded. */
    public StubBackend onExec(ExecAnswer answer) {
        this.execAnswer = answer;
        return this;
    }

    /** A dynamic port is published on host port {@code hostPortOf(containerPort)}; a fixed one where it asks. */
    public StubBackend hostPorts(IntUnaryOperator hostPortOf) {
        this.hostPorts = hostPortOf;
        return this;
    }

    /** Container {@code containerId} has exited with {@code exitCode}: not running, and inspect says so. */
    public StubBackend exited(String containerId, int exitCode) {
        exitCodes.put(containerId, exitCode);
        return this;
    }

    /**
     * The log of container {@code containerId}: each read gets the next of {@code reads}, the last
     * one again and again once they are used up (a log that grows between health checks, say).
     */
    public StubBackend logs(String containerId, String... reads) {
        logs.put(containerId, List.of(reads));
        logReads.put(containerId, new AtomicInteger());
        return this;
    }

    /** The specs started, in order; not those whose start threw. */
    public List<ContainerSpec> started() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }

    /** The ids of the containers stopped, in order. */
    public List<String> stopped() {
        synchronized (stopped) {
            return List.copyOf(stopped);
        }
    }

    /** The argv of every exec, in order, whatever it was answered. */
    public List<List<String>> execs() {
        synchronized (execs) {
            return List.copyOf(execs);
        }
    }

    /** How many log watches were opened. */
    public int logWatches() {
        return logWatches.get();
    }

    /** How many log watches were opened and not closed yet. */
    public int openLogWatches() {
        return openLogWatches.get();
    }

    @Override
    public ContainerInfo startContainer(ContainerSpec spec) throws CleanroomException {
        ContainerInfo info;
        synchronized (started) {
            String id = "c" + (started.size() + 1);
            Map<Integer, Integer> ports = new LinkedHashMap<>();
            for (PortSpec port : spec.ports()) {
                int container = port.containerPort();
                ports.put(container, port.hostPort() == 0 ? hostPorts.applyAsInt(container) : port.hostPort());
            }
            info = startAnswer.answer(spec, new ContainerInfo(id, spec.name().orElse(id), hostAddress(), ports));
            started.add(spec);
        }
        return info;
    }

    @Override
    public void stopContainer(String containerId) {
        stopped.add(containerId);
    }

    @Override
    public boolean isRunning(String containerId) {
        return inspect(containerId).running();
    }

    @Override
    public ContainerState inspect(String containerId) {
        Integer exitCode = exitCodes.get(containerId);
        return exitCode == null
                ? new ContainerState(true, 0, false, "running", "")
                : new ContainerState(false, exitCode, false, "exited", "");
    }

    @Override
    public ExecResult exec(String containerId, ExecRequest request) throws CleanroomException {
        execs.add(request.argv());
        return execAnswer.answer(request.argv());
    }

    @Override
    public String logs(String containerId, int lines) {
        List<String> reads = logs.get(containerId);
        if (reads == null || reads.isEmpty()) {
            return "";
        }
        int read = logReads.get(containerId).getAndIncrement();
        return reads.get(Math.min(read, reads.size() - 1));
    }

    /** The engine's polling watch over {@link #logs}, counted so a test sees it opened once and closed. */
    @Override
    public LogWatch watchLog(String containerId, Pattern pattern, Duration limit) throws CleanroomException {
        LogWatch polled = ContainerBackend.super.watchLog(containerId, pattern, limit);
        logWatches.incrementAndGet();
        openLogWatches.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return new LogWatch() {
            @Override
            public HealthStatus status() throws CleanroomException {
                return polled.status();
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    openLogWatches.decrementAndGet();
                    polled.close();
                }
            }
        };
    }

    @Override
    public String hostAddress() {
        return "127.0.0.1";
    }
}
