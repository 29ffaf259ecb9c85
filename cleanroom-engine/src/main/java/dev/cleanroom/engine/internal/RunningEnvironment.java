package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Starts a file's services on their own network, in parallel where {@code depends_on} allows,
 * each ready only once healthy; and removes all of it again, on {@link #stop()}, on a failed
 * start, and at JVM shutdown (Ctrl-C).
 */
public final class RunningEnvironment implements Environment {

    static final int LOG_TAIL_LINES = 20;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration DAEMON_POLL = Duration.ofMillis(250);

    private final TestFile file;
    private final ServiceFactory factory;
    private final ContainerRuntime runtime;
    private final EngineLog log;
    private final Redactor redactor;
    private final RunContext run;
    private final Map<String, ScopedBackend> backends = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, StartedService> started = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Every service whose start was called: each is stopped at the end, ready or not. */
    private final Map<String, Service> begun = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Thread shutdownHook;
    private final Duration daemonWait;
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final java.util.Set<String> scheduling = new java.util.HashSet<>();
    private String networkId;
    private final BindMountCheck bindMounts;
    private final RunImages images;
    private Duration startDuration = Duration.ZERO;
    private Duration stopDuration;
    /** What the stop left for the next sweep and how to remove it now; null once everything is removed. */
    private volatile String leftBehind;

    private RunningEnvironment(TestFile file, ServiceFactory factory, ContainerRuntime runtime, EngineLog log,
                               String project, boolean keep, Duration daemonWait, ImageOptions imageOptions) {
        this.file = file;
        this.images = new RunImages(runtime, imageOptions, log, file);
        this.daemonWait = daemonWait;
        this.factory = factory;
        this.runtime = runtime;
        this.log = log;
        this.redactor = Redactor.forFile(file, factory);
        String runId = UUID.randomUUID().toString().replace("-", "");
        this.run = new RunContext(runId, "clnrm-" + runId.substring(0, 8), Labels.forRun(runId, project, file.path(), keep),
                file.services().keySet());
        this.bindMounts = new BindMountCheck(runtime);
        this.shutdownHook = new Thread(() -> stop("the JVM is shutting down"), "cleanroom-shutdown-" + run.shortId());
    }

    /**
     * Starts every service of {@code file}. On failure everything already started is removed
     * before the exception is thrown.
     */
    public static RunningEnvironment start(TestFile file, ServiceFactory factory, ContainerRuntime runtime,
                                           EngineLog log, String project, boolean keep, Duration daemonWait)
            throws CleanroomException {
        return start(file, factory, runtime, log, project, keep, daemonWait, ImageOptions.DEFAULT);
    }

    /** As above, with the build's pull policy and mirror. */
    public static RunningEnvironment start(TestFile file, ServiceFactory factory, ContainerRuntime runtime,
                                           EngineLog log, String project, boolean keep, Duration daemonWait,
                                           ImageOptions imageOptions) throws CleanroomException {
        RunningEnvironment environment = new RunningEnvironment(file, factory, runtime, log, project, keep, daemonWait,
                imageOptions);
        environment.startAll();
        return environment;
    }

    private void startAll() throws CleanroomException {
        long begin = System.nanoTime();
        // Before the network, the sweep and the shutdown hook: a run that cannot start leaves no trace.
        images.checkBeforeStart(file);
        checkMountsBeforeStart();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        List<ServiceStartException> failures = Collections.synchronizedList(new ArrayList<>());
        // The sweep only touches runs whose owner is dead, never this one: it need not delay the start.
        CompletableFuture<Void> sweep = CompletableFuture.runAsync(() -> {
            try {
                Sweeper.sweepDeadRuns(runtime, log);
            } catch (CleanroomException e) {
                log.warn("Could not sweep what dead builds left behind: " + e.getMessage());
            }
        });
        try {
            networkId = runtime.createNetwork(run.networkName, run.labels);
            ServiceReach reach = runtime.reach();
            log.info(reach.describe());
            reach.exposureWarning().ifPresent(log::warn);
            log.info("Starting " + file.services().size() + " service(s) of " + file.path().getFileName() + " (run "
                    + run.shortId() + ", network " + run.networkName + ")");
            startInParallel(failures);
        } catch (CleanroomException | RuntimeException e) {
            sweep.join();
            stop("the start failed");
            throw e;
        }
        sweep.join();
        if (!failures.isEmpty()) {
            stop("the start failed");
            throw combined(failures);
        }
        startDuration = Duration.ofNanos(System.nanoTime() - begin);
    }

    private void startInParallel(List<ServiceStartException> failures) {
        ExecutorService pool = Executors.newCachedThreadPool(daemonThreads("cleanroom-start-" + run.shortId()));
        try {
            Map<String, CompletableFuture<Void>> futures = new LinkedHashMap<>();
            for (String name : file.services().keySet()) {
                schedule(name, futures, pool, failures);
            }
            CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null).join();
        } finally {
            pool.shutdownNow();
        }
    }

    private CompletableFuture<Void> schedule(String name, Map<String, CompletableFuture<Void>> futures,
                                             ExecutorService pool, List<ServiceStartException> failures) {
        CompletableFuture<Void> existing = futures.get(name);
        if (existing != null) {
            return existing;
        }
        if (!scheduling.add(name)) {
            // Only plugins' implicit dependencies can close a cycle (the parser refuses cyclic depends_on).
            log.warn("Services depend on each other in a cycle through " + name + "; starting it without waiting");
            return CompletableFuture.completedFuture(null);
        }
        ServiceConfig config = file.services().get(name);
        CompletableFuture<?>[] dependencies = dependenciesOf(config).stream()
                .map(d -> schedule(d, futures, pool, failures)).toArray(CompletableFuture[]::new);
        CompletableFuture<Void> future = CompletableFuture.allOf(dependencies).thenRunAsync(() -> {
            if (aborted.get()) {
                return;
            }
            try {
                startOne(config);
            } catch (ServiceStartException e) {
                if (!(e instanceof Aborted)) {
                    failures.add(e);
                }
                aborted.set(true);
                throw new CompletionException(e);
            } catch (RuntimeException | Error e) {
                // A bug, ours or a plugin's (even a StackOverflowError): it must fail the start, not
                // vanish in the future, which would leave the service missing from a "successful" start.
                failures.add(new ServiceStartException(name, "Service " + name + " could not start: " + e, e));
                aborted.set(true);
                throw new CompletionException(e);
            }
        }, pool);
        futures.put(name, future);
        return future;
    }

    /** depends_on plus what the plugin itself needs first (never itself). */
    private List<String> dependenciesOf(ServiceConfig config) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(config.dependsOn());
        all.addAll(config.definition().implicitDependencies());
        all.remove(config.name());
        all.retainAll(file.services().keySet());
        return List.copyOf(all);
    }

    private void startOne(ServiceConfig config) throws ServiceStartException {
        long begin = System.nanoTime();
        ServiceDefinition definition = config.definition();
        ScopedBackend backend = new ScopedBackend(runtime, run, config.name(), new ServiceLog(config.name(), log, redactor),
                redactor, name -> Optional.ofNullable(started.get(name)).map(StartedService::handle), bindMounts,
                image -> images.forContainer(image, config.name(), images.policyOf(config)));
        backends.put(config.name(), backend);
        Service service = definition.create(backend);
        begun.put(config.name(), service);
        ServiceHandle handle;
        try {
            service.start();
            handle = service.handle();
        } catch (CleanroomException | RuntimeException e) {
            throw failure(config, backend, "could not start: " + e.getMessage(), null, e);
        }
        awaitHealthy(definition.waitPolicy(), service, config, backend, handle);
        try {
            service.afterReady();
            handle = service.handle();
        } catch (CleanroomException | RuntimeException e) {
            throw failure(config, backend, "failed after it became healthy: " + e.getMessage(), handle.containerId(), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        String image = backend.firstImage().orElse("-");
        String digest = backend.firstImage().map(images::digestOf).orElse("");
        started.put(config.name(), new StartedService(config.name(), config.type(), image, handle, took, digest));
        log.info("Service " + config.name() + " (" + config.type() + ", " + image + (digest.isEmpty() ? "" : ", " + digest)
                + ") ready in "
                + Durations.format(took) + endpointsOf(handle));
    }

    private static String endpointsOf(ServiceHandle handle) {
        if (handle.endpoints().containsKey("url")) {
            return " at " + handle.endpoints().get("url");
        }
        return handle.ports().isEmpty() ? "" : " at " + handle.ports().entrySet().stream()
                .map(e -> handle.address(e.getKey()) + " (" + e.getKey() + ")")
                .collect(Collectors.joining(", "));
    }

    private void awaitHealthy(WaitPolicy policy, Service service, ServiceConfig config, ScopedBackend backend,
                              ServiceHandle handle) throws ServiceStartException {
        long begin = System.nanoTime();
        long deadline = begin + policy.timeout().toNanos();
        long nextProgress = begin + PROGRESS_EVERY.toNanos();
        int failuresInRow = 0;
        HealthStatus last = HealthStatus.notYet("no check ran yet");
        while (true) {
            if (aborted.get()) {
                throw new Aborted(config.name(), "another service failed");
            }
            ContainerState state = inspect(config, backend, handle);
            if (!state.running()) {
                throw failure(config, backend, state.describe() + " while starting", handle.containerId(), null);
            }
            try {
                last = service.checkHealth();
            } catch (CleanroomException | RuntimeException e) {
                // A container that exits between the inspect and the check fails the check (e.g. "is not
                // running" from exec); its exit is the reason to report, not the check's error.
                ContainerState after = inspect(config, backend, handle);
                if (!after.running()) {
                    throw failure(config, backend, after.describe() + " while starting", handle.containerId(), null);
                }
                throw failure(config, backend, "failed its health check: " + e.getMessage(), handle.containerId(), e);
            }
            if (last.isHealthy()) {
                return;
            }
            failuresInRow++;
            long now = System.nanoTime();
            if (policy.maxFailures() > 0 && failuresInRow >= policy.maxFailures()) {
                throw failure(config, backend, "failed " + failuresInRow + " health checks in a row (last: "
                        + last.detail() + ")" + (last.dialled().isEmpty() ? "" : ". "
                        + runtime.reach().dialHint(last.dialled())), handle.containerId(), null);
            }
            if (now >= deadline && !last.dialled().isEmpty()) {
                throw failure(config, backend, "could not be reached within " + Durations.format(policy.timeout())
                        + " (last check: " + last.detail() + "). " + runtime.reach().dialHint(last.dialled()),
                        handle.containerId(), null);
            }
            if (now >= deadline) {
                throw failure(config, backend, "did not become healthy within " + Durations.format(policy.timeout())
                        + " (last check: " + last.detail() + "). Perhaps you should raise its start timeout, or check "
                        + "its health check", handle.containerId(), null);
            }
            if (now >= nextProgress) {
                log.info("Still waiting for " + config.name() + " after " + Durations.format(Duration.ofNanos(now - begin))
                        + " (last check: " + last.detail() + ")");
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            try {
                Thread.sleep(Math.min(policy.interval().toMillis(), Math.max(1, (deadline - now) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Aborted(config.name(), "interrupted");
            }
        }
    }

    private ContainerState inspect(ServiceConfig config, ScopedBackend backend, ServiceHandle handle)
            throws ServiceStartException {
        try {
            return backend.inspect(handle.containerId());
        } catch (CleanroomException e) {
            throw failure(config, backend, "could not be inspected: " + e.getMessage(), null, e);
        }
    }

    private ServiceStartException failure(ServiceConfig config, ScopedBackend backend, String what, String containerId,
                                          Throwable cause) {
        StringBuilder message = new StringBuilder("Service ").append(config.name()).append(" (").append(config.type())
                .append(backend.firstImage().map(i -> ", " + i).orElse("")).append(") ").append(what);
        if (containerId != null) {
            try {
                String logs = backend.logs(containerId, LOG_TAIL_LINES);
                message.append(logs.isBlank() ? "\n  It wrote no log output."
                        : "\n  Last log lines of " + config.name() + ":\n    | "
                        + String.join("\n    | ", logs.stripTrailing().split("\r?\n")));
            } catch (CleanroomException e) {
                message.append("\n  (its logs could not be read: ").append(e.getMessage()).append(')');
            }
        }
        return new ServiceStartException(config.name(), redactor.apply(message.toString()), cause);
    }

    /**
     * Where the daemon may not see the build's files (a build in a container, a remote daemon),
     * every bind mount the services declare is checked before the network, the sweep or any
     * service: a run refused for a mount leaves nothing to remove. Mounts a plugin does not
     * declare are still checked when their container is created.
     */
    private void checkMountsBeforeStart() throws ServiceStartException {
        ServiceReach reach = runtime.reach();
        if (reach.mode() == ServiceReach.Mode.ON_HOST) {
            return;
        }
        for (ServiceConfig config : file.services().values()) {
            List<VolumeMount> volumes = config.definition().volumes();
            List<String> declared = config.definition().images();
            if (volumes.isEmpty() || declared.isEmpty() || declared.get(0).isBlank()) {
                continue;
            }
            try {
                ContainerSpec probe = ContainerSpec.builder(images.forContainer(declared.get(0), config.name(),
                        images.policyOf(config))).labels(run.labels).build();
                for (VolumeMount volume : volumes) {
                    bindMounts.verify(volume, probe);
                }
            } catch (CleanroomException e) {
                throw new ServiceStartException(config.name(), redactor.apply("Service " + config.name() + " ("
                        + config.type() + ", " + declared.get(0) + ") could not start: " + e.getMessage()), e);
            }
        }
    }

    private ServiceStartException combined(List<ServiceStartException> failures) {
        String cleaned = "\n" + (leftBehind != null ? leftBehind
                : "Every container and the network of run " + run.shortId() + " were removed.");
        if (failures.size() == 1) {
            ServiceStartException only = failures.get(0);
            return new ServiceStartException(only.serviceName(), only.getMessage() + cleaned, only.getCause());
        }
        String all = failures.stream().map(Throwable::getMessage).collect(Collectors.joining("\n\n"));
        return new ServiceStartException(failures.get(0).serviceName(), failures.size() + " services failed to start:\n"
                + all + cleaned, failures.get(0));
    }

    @Override
    public String runId() {
        return run.runId;
    }

    @Override
    public TestFile file() {
        return file;
    }

    @Override
    public List<StartedService> services() {
        synchronized (started) {
            return file.services().keySet().stream().filter(started::containsKey).map(started::get).toList();
        }
    }

    @Override
    public Duration startDuration() {
        return startDuration;
    }

    @Override
    public List<StepResult> runSteps() {
        Map<String, StartedService> byName = new LinkedHashMap<>();
        services().forEach(s -> byName.put(s.name(), s));
        return new StepRunner(runtime, byName, redactor, log).run(file.steps());
    }

    @Override
    public Duration stop() {
        return stop("the run ended");
    }

    @Override
    public synchronized void detach() {
        if (stopDuration == null) {
            stopDuration = Duration.ZERO;
            removeShutdownHook();
            runtime.close();
            log.info("Left the services of run " + run.shortId() + " running; remove them with mvn cleanroom:stop, or "
                    + removalCommand());
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The JVM is already shutting down, or the hook was never added.
        }
    }

    private synchronized Duration stop(String reason) {
        if (stopDuration != null) {
            return stopDuration;
        }
        long begin = System.nanoTime();
        run.closing.set(true);
        aborted.set(true);
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
        } else {
            log.info("Removed the containers and network of run " + run.shortId() + " in " + Durations.format(stopDuration)
                    + " (" + reason + ")");
        }
        if (!"the JVM is shutting down".equals(reason)) {
            removeShutdownHook();
        }
        runtime.close();
        return stopDuration;
    }

    /**
     * One removal pass: the plugins' own stops (first pass only), every container the backends
     * track, anything else labelled with the run, then the network. Returns what failed.
     */
    private List<String> removeEverything(boolean withPluginStops) {
        List<Map.Entry<String, ScopedBackend>> all;
        synchronized (backends) {
            all = new ArrayList<>(backends.entrySet());
        }
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newCachedThreadPool(daemonThreads("cleanroom-stop-" + run.shortId()));
        try {
            if (withPluginStops) {
                Map<String, CompletableFuture<Void>> stops = new LinkedHashMap<>();
                Map<String, ScopedBackend> byName = new LinkedHashMap<>();
                all.forEach(entry -> byName.put(entry.getKey(), entry.getValue()));
                for (String name : byName.keySet()) {
                    scheduleStop(name, byName, stops, new java.util.HashSet<>(), pool, failures);
                }
                CompletableFuture.allOf(stops.values().toArray(CompletableFuture[]::new)).join();
            }
            removeLeftovers(pool, failures);
        } finally {
            pool.shutdownNow();
        }
        removeNetwork(failures);
        return new ArrayList<>(failures);
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
        log.info("The Docker daemon answers again after " + Durations.format(Duration.ofNanos(System.nanoTime() - begin))
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
            return backends.values().stream().mapToInt(ScopedBackend::containerCount).sum();
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

    /**
     * A service stops once every service that depends on it has stopped, the start order reversed
     * (as docker compose does): a chaos sidecar recovers its faults before its target goes, an app
     * shuts down before its database. Independent services stop in parallel.
     */
    private CompletableFuture<Void> scheduleStop(String name, Map<String, ScopedBackend> byName,
                                                 Map<String, CompletableFuture<Void>> stops, java.util.Set<String> path,
                                                 ExecutorService pool, List<String> failures) {
        CompletableFuture<Void> existing = stops.get(name);
        if (existing != null) {
            return existing;
        }
        if (!path.add(name)) {
            return CompletableFuture.completedFuture(null); // a cycle of implicit dependencies: do not wait
        }
        CompletableFuture<?>[] dependents = byName.keySet().stream()
                .filter(other -> dependenciesOf(file.services().get(other)).contains(name))
                .map(other -> scheduleStop(other, byName, stops, path, pool, failures))
                .toArray(CompletableFuture[]::new);
        path.remove(name);
        CompletableFuture<Void> stop = CompletableFuture.allOf(dependents).exceptionally(e -> null)
                .thenRunAsync(() -> {
                    try {
                        stopService(name, byName.get(name), failures);
                    } catch (RuntimeException e) {
                        failures.add("Removing service " + name + " failed: " + e);
                    }
                }, pool);
        stops.put(name, stop);
        return stop;
    }

    private void stopService(String name, ScopedBackend backend, List<String> failures) {
        Service service = begun.get(name);
        if (service != null) {
            try {
                service.stop();
            } catch (CleanroomException | RuntimeException e) {
                log.warn("Plugin stop of service " + name + " failed, removing its containers anyway: " + e.getMessage());
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
                    .filter(c -> run.runId.equals(c.labels().get(Labels.RUN))).toList();
            CompletableFuture.allOf(leftovers.stream().map(c -> CompletableFuture.runAsync(() -> {
                try {
                    runtime.removeContainer(c.id(), Duration.ZERO);
                } catch (CleanroomException e) {
                    failures.add(e.getMessage());
                }
            }, pool)).toArray(CompletableFuture[]::new)).join();
        } catch (CleanroomException e) {
            failures.add(e.getMessage());
        }
    }

    private void removeNetwork(List<String> failures) {
        try {
            if (networkId != null) {
                runtime.removeNetwork(networkId);
            }
        } catch (CleanroomException e) {
            failures.add(e.getMessage());
        }
    }

    /** A start that stopped because another service failed first; not a failure of its own. */
    private static final class Aborted extends ServiceStartException {
        Aborted(String service, String why) {
            super(service, "Start of service " + service + " was aborted: " + why, null);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
