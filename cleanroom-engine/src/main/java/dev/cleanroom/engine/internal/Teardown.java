package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.config.ServiceGraph;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.spi.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Removes everything of one run, once: each started service's own stop in reverse dependency
 * order, then every container and the network; waits out a daemon outage; and says what is
 * left and how to remove it. Also the run's shutdown hook (Ctrl-C) and its detach.
 */
final class Teardown {

    /** Why the run is being removed: said in the last log line, and the shutdown hook is not removed from itself. */
    enum Cause {
        RUN_ENDED("the run ended"),
        START_FAILED("the start failed"),
        JVM_SHUTDOWN("the JVM is shutting down");

        private final String text;

        Cause(String text) {
            this.text = text;
        }
    }

    private static final Duration DAEMON_POLL = Duration.ofMillis(250);

    private final ContainerRuntime runtime;
    private final EngineLog log;
    private final RunContext run;
    private final ServiceGraph graph;
    private final Duration daemonWait;
    private final Map<String, ScopedBackend> backends;
    /** Every service whose start was called: each is stopped, ready or not. */
    private final Map<String, Service> begun;
    /** Set when removal begins, so that no start still running goes on. */
    private final AtomicBoolean aborted;

    /** Removes the run at JVM shutdown; with reuse, once started, stops only what is not kept. */
    private volatile Thread shutdownHook;
    /** Set once {@link #stopNotKept} ran: the shutdown hook and the build's end each try it. */
    private boolean notKeptStopped;

    private volatile String networkId;
    /**
     * Whether this build may remove the run's containers and network. With reuse they are every
     * build's of the file (one run label, one network): only the build holding the reuse lock may,
     * and a build that never got it (waiting, timed out, interrupted, adopting without it) changed
     * nothing, so its stop must not take the services of the build that holds the lock.
     */
    private volatile boolean holdsRun = true;
    /** The services this run adopted from an earlier build (reuse), by name; shared with the run. */
    private final Set<String> adopted;
    /** The containers of reused services a failed start leaves running: the next build's. */
    private final Set<String> keptIds = ConcurrentHashMap.newKeySet();
    /** Their services' names, for the failure's last line. */
    private volatile String keptNames = "";

    private Duration stopDuration;
    /** What the stop left for the next sweep and how to remove it now; null once everything is removed. */
    private volatile String leftBehind;

    Teardown(
            ContainerRuntime runtime,
            EngineLog log,
            RunContext run,
            ServiceGraph graph,
            Duration daemonWait,
            Map<String, ScopedBackend> backends,
            Map<String, Service> begun,
            Set<String> adopted,
            AtomicBoolean aborted) {
        this.runtime = runtime;
        this.log = log;
        this.run = run;
        this.graph = Objects.requireNonNull(graph, "graph");
        this.daemonWait = daemonWait;
        this.backends = backends;
        this.begun = begun;
        this.adopted = adopted;
        this.aborted = aborted;
        this.shutdownHook = new Thread(() -> stop(Cause.JVM_SHUTDOWN), "cleanroom-shutdown-" + run.shortId());
    }

    /** From now on the JVM's shutdown (Ctrl-C) removes the run. */
    void addShutdownHook() {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** See {@link #holdsRun}: false from the start of a reusing build until it holds the reuse lock. */
    void holdsRun(boolean holds) {
        holdsRun = holds;
    }

    /** The run's network exists: it is removed last. */
    void networkCreated(String id) {
        networkId = id;
    }

    /** What the stop left behind and how to remove it; null when everything was removed (or no stop ran). */
    String leftBehind() {
        return leftBehind;
    }

    /** What the stop did with the run, for the failure it ends: one sentence. */
    String outcome() {
        if (leftBehind != null) {
            return leftBehind;
        }
        if (!holdsRun) {
            return "Nothing of the reused services of run " + run.shortId()
                    + " was removed: this build did not hold their reuse lock.";
        }
        if (!keptIds.isEmpty()) {
            return "What run " + run.shortId() + " started was removed; the reused service(s) " + keptNames
                    + " run on for the next build.";
        }
        return "Every container and the network of run " + run.shortId() + " were removed.";
    }

    synchronized void detach() {
        if (stopDuration == null) {
            stopDuration = Duration.ZERO;
            removeShutdownHook();
            runtime.close();
            log.info("Left the services of run " + run.shortId() + " running; remove them with mvn cleanroom:stop, or "
                    + removalCommand());
        }
    }

    /**
     * The run's services are kept for the next build: from now on neither the JVM's shutdown nor
     * a stop removes them, except {@code notKept}, which the JVM's shutdown (Ctrl-C during the
     * tests) still stops.
     */
    void keepForReuse(List<String> notKept) {
        removeShutdownHook();
        if (!notKept.isEmpty()) {
            shutdownHook = new Thread(() -> stopNotKept(notKept), "cleanroom-shutdown-" + run.shortId());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * With reuse, at the end of the build: stops the services that must not outlive it (their
     * plugin's stop, then their containers), later ones in the start order first, and leaves the
     * rest running. Once only; failures are warnings, and what is left the next build replaces.
     */
    synchronized void stopNotKept(List<String> notKept) {
        if (stopDuration != null || notKeptStopped) {
            return;
        }
        notKeptStopped = true;
        List<String> failures = new ArrayList<>();
        for (String name : graph.stopOrder()) {
            ScopedBackend backend = backends.get(name);
            if (notKept.contains(name) && backend != null) {
                stopService(name, backend, failures);
                log.info("Removed service " + name + ": its type is never kept running for the next build");
            }
        }
        failures.forEach(log::warn);
    }

    /**
     * Ends the run without removing its services, kept for reuse: closes the log watches and the
     * connection, and says ({@code message}) what is left and how to remove it. The first time
     * only, as {@link #stop}.
     */
    synchronized Duration leave(String message) {
        if (stopDuration == null) {
            stopDuration = Duration.ZERO;
            synchronized (backends) {
                backends.values().forEach(ScopedBackend::release);
            }
            removeShutdownHook();
            runtime.close();
            log.info(message);
        }
        return stopDuration;
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The JVM is already shutting down, or the hook was never added.
        }
    }

    /** Removes the run, the first time only; says why ({@code reason}) and returns how long it took. */
    synchronized Duration stop(Cause cause) {
        String reason = cause.text;
        if (stopDuration != null) {
            return stopDuration;
        }
        if (!holdsRun) {
            return leave("Removed nothing of the reused services of run " + run.shortId() + " (" + reason
                    + "): this build did not hold their reuse lock, so it changed none of them");
        }
        long begin = System.nanoTime();
        run.closing.set(true);
        aborted.set(true);
        keepWhatThisBuildDidNotStart();
        List<String> failures = removeEverything(true);
        if (!failures.isEmpty()) {
            failures = retryAfterDaemonOutage();
        }
        stopDuration = Duration.ofNanos(System.nanoTime() - begin);
        if (leftBehind == null && !failures.isEmpty()) {
            failures.forEach(log::warn);
            leftBehind = "Could not remove everything of run " + run.shortId() + ": " + failures.size()
                    + " removal(s) failed (see the warnings above), though the Docker daemon answers. What is left "
                    + "carries the label " + Labels.RUN + "=" + run.runId + "; remove it with: " + removalCommand();
        }
        if (leftBehind != null) {
            log.warn(leftBehind); // the last word: something is left, so no "Removed ... in" line
        } else if (keptIds.isEmpty()) {
            log.info("Removed the containers and network of run " + run.shortId() + " in "
                    + Durations.format(stopDuration) + " (" + reason + ")");
        } else {
            log.info("Removed what run " + run.shortId() + " started in " + Durations.format(stopDuration) + " ("
                    + reason + "); its network stays with the reused services it kept");
        }
        if (cause != Cause.JVM_SHUTDOWN) {
            removeShutdownHook();
        }
        runtime.close();
        return stopDuration;
    }

    /**
     * A reusing build's stop before its start was complete (a failure, Ctrl-C) removes what this
     * build started, not the services it adopted nor those it did not get to (the start was
     * aborted first): they were running, unchanged, before it came, so the next build adopts them
     * instead of starting them cold. They drop out of the removal here. Without reuse, no-op.
     */
    private void keepWhatThisBuildDidNotStart() {
        if (!run.labels.containsKey(Labels.REUSE)) {
            return;
        }
        Set<String> started = new HashSet<>(backends.keySet());
        started.removeAll(adopted);
        for (String name : adopted) {
            ScopedBackend backend = backends.remove(name);
            begun.remove(name);
            if (backend != null) {
                keptIds.addAll(backend.release());
            }
        }
        Set<String> kept = new TreeSet<>(adopted);
        try {
            for (ContainerRuntime.LabeledResource container : runtime.findContainers(Labels.RUN)) {
                String service = container.labels().get(Labels.SERVICE);
                if (run.runId.equals(container.labels().get(Labels.RUN))
                        && service != null
                        && !started.contains(service)) {
                    keptIds.add(container.id());
                    kept.add(service);
                }
            }
        } catch (CleanroomException e) {
            // The daemon not answering: the removal that follows reports it, and keeps what it knows.
        }
        keptNames = String.join(", ", kept);
        if (!kept.isEmpty()) {
            log.info("Kept the reused service(s) " + keptNames
                    + ", which this build adopted unchanged or did not get to, for the next build");
        }
    }

    /**
     * One removal pass: the plugins' own stops (first pass only), every container the backends
     * track, anything else labelled with the run but the kept ones, then the network (unless
     * services were kept on it). Returns what failed.
     */
    private List<String> removeEverything(boolean withPluginStops) {
        Map<String, ScopedBackend> byName;
        synchronized (backends) {
            byName = new LinkedHashMap<>(backends);
        }
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newCachedThreadPool(run.threads("stop"));
        try {
            if (withPluginStops) {
                stopInReverseOrder(byName, pool, failures);
            }
            removeLeftovers(pool, failures);
        } finally {
            pool.shutdownNow();
        }
        removeNetwork(failures);
        return new ArrayList<>(failures);
    }

    /**
     * A service stops once every service that depends on it has stopped, the start order reversed
     * (as docker compose does): a chaos sidecar recovers its faults before its target goes, an app
     * shuts down before its database. Independent services stop in parallel. A service that never
     * got as far as a backend has nothing to stop, but still passes the wait on to its dependencies.
     */
    private void stopInReverseOrder(Map<String, ScopedBackend> byName, ExecutorService pool, List<String> failures) {
        Map<String, CompletableFuture<Void>> stops = new LinkedHashMap<>();
        for (String name : graph.stopOrder()) {
            CompletableFuture<Void> afterDependents = CompletableFuture.allOf(
                            graph.dependentsOf(name).stream().map(stops::get).toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null);
            ScopedBackend backend = byName.get(name);
            stops.put(
                    name,
                    backend == null
                            ? afterDependents
                            : afterDependents.thenRunAsync(
                                    () -> {
                                        try {
                                            stopService(name, backend, failures);
                                        } catch (RuntimeException e) {
                                            failures.add("Removing service " + name + " failed: " + e);
                                        }
                                    },
                                    pool));
        }
        CompletableFuture.allOf(stops.values().toArray(CompletableFuture[]::new))
                .join();
    }

    private void stopService(String name, ScopedBackend backend, List<String> failures) {
        Service service = begun.get(name);
        if (service != null) {
            try {
                service.stop();
            } catch (CleanroomException | RuntimeException e) {
                log.warn("Plugin stop of service " + name + " failed, removing its containers anyway: "
                        + e.getMessage());
            }
        }
        try {
            backend.removeAll();
        } catch (CleanroomException e) {
            failures.add(e.getMessage());
        }
    }

    /** Anything labelled with this run that the service backends did not account for. */
    private void removeLeftovers(ExecutorService pool, List<String> failures) {
        try {
            List<ContainerRuntime.LabeledResource> leftovers = runtime.findContainers(Labels.RUN).stream()
                    .filter(c -> run.runId.equals(c.labels().get(Labels.RUN)))
                    .filter(c -> !keptIds.contains(c.id()))
                    .toList();
            CompletableFuture.allOf(leftovers.stream()
                            .map(c -> CompletableFuture.runAsync(
                                    () -> {
                                        try {
                                            runtime.removeContainer(c.id(), Duration.ZERO);
                                        } catch (CleanroomException e) {
                                            failures.add(e.getMessage());
                                        }
                                    },
                                    pool))
                            .toArray(CompletableFuture[]::new))
                    .join();
        } catch (CleanroomException e) {
            failures.add(e.getMessage());
        }
    }

    private void removeNetwork(List<String> failures) {
        try {
            if (networkId != null && keptIds.isEmpty()) {
                runtime.removeNetwork(networkId);
            }
        } catch (CleanroomException e) {
            failures.add(e.getMessage());
        }
    }

    /**
     * Removal failed. If the daemon still answers, one more pass, and what fails again is reported. If it
     * stopped answering (restarted, crashed, Docker Desktop quit), waits up to {@code daemonWait}
     * for it to come back and removes what is left; a daemon that stays away leaves the run to
     * the next start's or stop's sweep, which this JVM's own sweeps honour too (a Maven daemon
     * such as mvnd outlives the build, so "the owner process died" would never fire).
     */
    private List<String> retryAfterDaemonOutage() {
        if (runtime.answers()) {
            return removeEverything(false);
        }
        log.warn("The Docker daemon stopped answering while run " + run.shortId() + " was being removed; waiting up to "
                + Durations.format(daemonWait) + " for it to come back");
        long begin = System.nanoTime();
        long deadline = begin + daemonWait.toNanos();
        while (!runtime.answers()) {
            if (System.nanoTime() >= deadline || !sleep(DAEMON_POLL)) {
                Sweeper.leaveForSweep(run.runId);
                leftBehind = "Could not remove run " + run.shortId() + ": the Docker daemon did not answer for "
                        + Durations.format(daemonWait) + ". Its " + containersLeft() + " container(s) and network "
                        + run.networkName + " (label " + Labels.RUN + "=" + run.runId + ") are left behind; the next "
                        + "cleanroom:start or cleanroom:stop on this host removes them once the daemon is back, or run: "
                        + removalCommand();
                return List.of(leftBehind);
            }
        }
        log.info(
                "The Docker daemon answers again after " + Durations.format(Duration.ofNanos(System.nanoTime() - begin))
                        + "; removing what is left of run " + run.shortId());
        return removeEverything(false);
    }

    private String removalCommand() {
        return "docker rm -f $(docker ps -aq --filter label=" + Labels.RUN + "=" + run.runId + ") && docker network rm "
                + run.networkName;
    }

    /** The containers the services started that no removal has taken away. */
    private int containersLeft() {
        synchronized (backends) {
            return backends.values().stream()
                    .mapToInt(ScopedBackend::containerCount)
                    .sum();
        }
    }

    /** Returns false if interrupted (Ctrl-C while waiting): the caller gives up at once. */
    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
