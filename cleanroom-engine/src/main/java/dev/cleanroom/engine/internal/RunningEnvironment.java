package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.VolumeMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Starts a file's services on their own network, in parallel where the file's
 * {@link dev.cleanroom.engine.config.ServiceGraph} allows, each ready only once healthy (see
 * {@link HealthWait}); and removes all of it again through {@link Teardown}, on {@link #stop()},
 * on a failed start, and at JVM shutdown (Ctrl-C). Services kept for the next build are found,
 * adopted and left running through {@link ReusedServices}.
 */
public final class RunningEnvironment implements Environment {

    private final TestFile file;
    private final ContainerRuntime runtime;
    private final EngineLog log;
    private final Redactor redactor;
    private final RunContext run;
    private final Map<String, ScopedBackend> backends = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, StartedService> started = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Every service whose start was called: each is stopped at the end, ready or not. */
    private final Map<String, Service> begun = Collections.synchronizedMap(new LinkedHashMap<>());
    /** The services adopted from an earlier build: a failed start leaves them for the next one. */
    private final Set<String> adopted = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean aborted = new AtomicBoolean();
    /** Set by the first stop, which names the services that exited during the run. */
    private final AtomicBoolean exitsReported = new AtomicBoolean();

    private final BindMountCheck bindMounts;
    private final RunImages images;
    private final StartFailures startFailures;
    private final HealthWait healthWait;
    private final Teardown teardown;
    private Duration startDuration = Duration.ZERO;
    /** Set once every service is ready: a stop after that leaves reused services for the next build. */
    private volatile boolean startedCompletely;

    /** Whether this file's services are kept for the next build, and how they are found and adopted. */
    private final ReusedServices reuse;

    private RunningEnvironment(
            TestFile file,
            ServiceFactory factory,
            ContainerRuntime runtime,
            EngineLog log,
            String project,
            boolean keep,
            Duration daemonWait,
            ImageOptions imageOptions,
            ReuseOptions reuseOptions) {
        this.file = file;
        this.images = new RunImages(runtime, imageOptions, log, file);
        this.runtime = runtime;
        this.log = log;
        this.redactor = Redactor.forFile(file, factory);
        this.startFailures = new StartFailures(redactor);
        this.reuse =
                new ReusedServices(file, runtime, log, redactor, images, startFailures, project, keep, reuseOptions);
        this.run = reuse.run();
        this.bindMounts = new BindMountCheck(runtime);
        this.healthWait = new HealthWait(runtime, log, startFailures, aborted);
        this.teardown = new Teardown(runtime, log, run, file.graph(), daemonWait, backends, begun, adopted, aborted);
    }

    /**
     * Starts every service of {@code file}, with the build's pull policy and mirror and its say on
     * reuse across builds. On failure everything already started is removed before the exception is
     * thrown.
     */
    public static RunningEnvironment start(
            TestFile file,
            ServiceFactory factory,
            ContainerRuntime runtime,
            EngineLog log,
            String project,
            boolean keep,
            Duration daemonWait,
            ImageOptions imageOptions,
            ReuseOptions reuseOptions)
            throws CleanroomException {
        RunningEnvironment environment = new RunningEnvironment(
                file, factory, runtime, log, project, keep, daemonWait, imageOptions, reuseOptions);
        environment.startAll();
        return environment;
    }

    private void startAll() throws CleanroomException {
        long begin = System.nanoTime();
        // Before the network, the sweep and the shutdown hook: a run that cannot start leaves no trace.
        images.checkBeforeStart(file);
        checkMountsBeforeStart();
        // Before the shutdown hook: a reusing build holds the run only once it has the reuse lock.
        teardown.holdsRun(!reuse.enabled());
        teardown.addShutdownHook();
        List<ServiceStartException> failures = Collections.synchronizedList(new ArrayList<>());
        // The sweep only touches runs whose owner is dead, never this one: it need not delay the start.
        CompletableFuture<Void> sweep = CompletableFuture.runAsync(() -> {
            try {
                Sweeper.sweepDeadRuns(runtime, log, reuse.ttl());
            } catch (CleanroomException e) {
                log.warn("Could not sweep what dead builds left behind: " + e.getMessage());
            }
        });
        reuse.logDecision();
        try {
            if (reuse.enabled()) {
                Optional<String> adoptable = reuse.networkIfAllAdoptableWithoutLock();
                useReuseNetwork(adoptable.isPresent() ? adoptable.get() : lockAndFindNetwork(Optional.empty()));
            } else {
                teardown.networkCreated(runtime.createNetwork(run.networkName, run.labels));
            }
            ServiceReach reach = runtime.reach();
            log.info(reach.describe());
            reach.exposureWarning().ifPresent(log::warn);
            log.info("Starting " + file.services().size() + " service(s) of "
                    + file.path().getFileName() + " (" + (reuse.enabled() ? "reused, scope " : "run ")
                    + run.shortId() + ", network " + run.networkName + ")");
            startInParallel(failures);
            if (reuse.adoptingWithoutLock() && !failures.isEmpty() && !run.closing.get()) {
                // Without the lock nothing was changed (a failed adoption throws NeedsLock): forget
                // what was adopted and start again under the lock, which replaces what it must and
                // reports any failure as a start under the lock meets it.
                String why = failures.get(0).getMessage();
                forgetAdoptedServices();
                failures.clear();
                // The network too may have gone meanwhile (a cleanroom:clean): the lock holder makes it again.
                useReuseNetwork(lockAndFindNetwork(Optional.of(why)));
                startInParallel(failures);
            }
        } catch (CleanroomException | RuntimeException e) {
            sweep.join();
            teardown.stop(Teardown.Cause.START_FAILED);
            reuse.releaseLock();
            throw e;
        }
        sweep.join();
        if (!failures.isEmpty()) {
            teardown.stop(Teardown.Cause.START_FAILED);
            reuse.releaseLock();
            throw StartFailures.combined(failures, teardown.outcome());
        }
        if (reuse.enabled()) {
            // From here on the services are the next build's too: Ctrl-C during the tests leaves
            // them, but for those that must not outlive the build.
            teardown.keepForReuse(notKeptForReuse());
            reuse.releaseLock();
        }
        startedCompletely = true;
        startDuration = Duration.ofNanos(System.nanoTime() - begin);
    }

    /**
     * The network the reused services live on, found or made, is this run's. A network an earlier
     * build created was joined by that build's container, not by this one's (a new CI job, another
     * devcontainer session), which must be on it to reach the services it adopts; joining one this
     * build is on already is a no-op.
     */
    private void useReuseNetwork(String network) throws CleanroomException {
        teardown.networkCreated(network);
        runtime.joinNetwork(network);
    }

    /** Takes the reuse lock: from then on a failed start removes what this build started, as the lock's holder may. */
    private String lockAndFindNetwork(Optional<String> why) throws CleanroomException {
        String network = reuse.lockAndFindNetwork(why);
        teardown.holdsRun(true);
        return network;
    }

    /**
     * Lets go of the services adopted without the lock, leaving their containers running: the run
     * looks at them again under the lock.
     */
    private void forgetAdoptedServices() {
        synchronized (backends) {
            backends.values().forEach(ScopedBackend::release);
            backends.clear();
        }
        begun.clear();
        started.clear();
        adopted.clear();
        aborted.set(false);
    }

    /**
     * Each service starts as soon as everything it depends on (declared or implicit) is ready;
     * services that wait for nothing start at once, in parallel.
     */
    private void startInParallel(List<ServiceStartException> failures) {
        ExecutorService pool = Executors.newCachedThreadPool(run.threads("start"));
        try {
            Map<String, CompletableFuture<Void>> futures = new LinkedHashMap<>();
            // In start order, every dependency's future exists before its dependents ask for it.
            for (String name : file.graph().startOrder()) {
                CompletableFuture<?>[] dependencies = file.graph().dependenciesOf(name).stream()
                        .map(futures::get)
                        .toArray(CompletableFuture[]::new);
                ServiceConfig config = file.services().get(name);
                futures.put(
                        name,
                        CompletableFuture.allOf(dependencies)
                                .thenRunAsync(() -> startOrAbortTheRest(config, failures), pool));
            }
            CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null)
                    .join();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Starts one service unless the run was aborted; its failure aborts every other start. */
    private void startOrAbortTheRest(ServiceConfig config, List<ServiceStartException> failures) {
        if (aborted.get()) {
            return;
        }
        try {
            startOne(config);
        } catch (ServiceStartException e) {
            if (!(e instanceof AbortedStart)) {
                failures.add(e);
            }
            aborted.set(true);
            throw new CompletionException(e);
        } catch (RuntimeException | Error e) {
            // A bug, ours or a plugin's (even a StackOverflowError): it must fail the start, not
            // vanish in the future, which would leave the service missing from a "successful" start.
            failures.add(
                    new ServiceStartException(config.name(), "Service " + config.name() + " could not start: " + e, e));
            aborted.set(true);
            throw new CompletionException(e);
        }
    }

    private void startOne(ServiceConfig config) throws ServiceStartException {
        long begin = System.nanoTime();
        ServiceDefinition definition = config.definition();
        ScopedBackend backend = new ScopedBackend(
                runtime,
                run,
                config.name(),
                new ServiceLog(config.name(), log, redactor),
                redactor,
                name -> Optional.ofNullable(started.get(name)).map(StartedService::handle),
                bindMounts,
                image -> images.forContainer(image, config.name(), images.policyOf(config)));
        backends.put(config.name(), backend);
        Service service = definition.create(backend);
        begun.put(config.name(), service);
        if (reuse.enabled()) {
            List<String> imageIds = new ArrayList<>();
            Optional<StartedService> reused = reuse.adoptOrClear(config, backend, service, imageIds, begin);
            if (reused.isPresent()) {
                started.put(config.name(), reused.get());
                adopted.add(config.name());
                return;
            }
            // A fresh service: the one that tried to adopt may hold the old container's state.
            reuse.startingAfresh(config.name());
            service = definition.create(backend);
            begun.put(config.name(), service);
            backend.serviceLabels(reuse.labelsOfFresh(config, imageIds));
        }
        ServiceHandle handle;
        try {
            service.start();
            handle = service.handle();
        } catch (CleanroomException | RuntimeException e) {
            throw startFailures.failure(config, backend, "could not start: " + e.getMessage(), null, e);
        }
        healthWait.await(definition.waitPolicy(), service, config, backend, handle);
        try {
            service.afterReady();
            handle = service.handle();
        } catch (CleanroomException | RuntimeException e) {
            throw startFailures.failure(
                    config, backend, "failed after it became healthy: " + e.getMessage(), handle.containerId(), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        String image = backend.firstImage().orElse("-");
        String digest = backend.firstImage().map(images::digestOf).orElse("");
        started.put(config.name(), new StartedService(config.name(), config.type(), image, handle, took, digest));
        log.info("Service " + config.name() + " (" + config.type() + ", " + image
                + (digest.isEmpty() ? "" : ", " + digest)
                + ") ready in "
                + Durations.format(took) + endpointsOf(handle));
    }

    /** Where a ready service is reached, for its ready line: a fresh one's and a reused one's alike. */
    static String endpointsOf(ServiceHandle handle) {
        if (handle.endpoints().containsKey("url")) {
            return " at " + handle.endpoints().get("url");
        }
        return handle.ports().isEmpty()
                ? ""
                : " at "
                        + handle.ports().entrySet().stream()
                                .map(e -> handle.address(e.getKey()) + " (" + e.getKey() + ")")
                                .collect(Collectors.joining(", "));
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
                ContainerSpec probe = ContainerSpec.builder(
                                images.forContainer(declared.get(0), config.name(), images.policyOf(config)))
                        .labels(run.labels)
                        .build();
                for (VolumeMount volume : volumes) {
                    bindMounts.verify(volume, probe);
                }
            } catch (CleanroomException e) {
                throw new ServiceStartException(
                        config.name(),
                        redactor.apply("Service " + config.name() + " (" + config.type() + ", " + declared.get(0)
                                + ") could not start: " + e.getMessage()),
                        e);
            }
        }
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
            return file.services().keySet().stream()
                    .filter(started::containsKey)
                    .map(started::get)
                    .toList();
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
        if (startedCompletely && !exitsReported.getAndSet(true)) {
            reportServicesThatExited();
        }
        if (reuse.enabled() && startedCompletely) {
            List<String> notKept = notKeptForReuse();
            teardown.stopNotKept(notKept);
            return teardown.leave(reuse.leftRunningLine(services().stream()
                    .filter(service -> !notKept.contains(service.name()))
                    .toList()));
        }
        return teardown.stop(Teardown.Cause.RUN_ENDED);
    }

    /**
     * Tests that fail with "connection refused" are explained by a service that crashed under
     * them (an OOM kill, a fatal error): name each one that is no longer running, how it ended
     * and what it wrote last, before its container and log are gone.
     */
    private void reportServicesThatExited() {
        for (StartedService service : services()) {
            String containerId = service.handle().containerId();
            try {
                ContainerState state = runtime.inspect(containerId);
                // Exit code 0 is a one-shot service (a migration) that finished, not a crash.
                if (!state.running() && (state.exitCode() != 0 || state.oomKilled())) {
                    log.warn(redactor.apply("Service " + service.name() + " (" + service.type() + ", "
                            + service.image() + ") was no longer running when the run ended: it "
                            + state.describe() + " (a test or step that could not reach it may have failed for "
                            + "this reason)" + LogTail.of(runtime, containerId, service.name())));
                }
            } catch (CleanroomException e) {
                // The daemon not answering is the stop's to report, with what it could not remove.
            }
        }
    }

    /** The services whose plugin says they must not outlive the build, even with reuse (a fault injector). */
    private List<String> notKeptForReuse() {
        return file.services().values().stream()
                .filter(config -> !config.definition().reusableAcrossBuilds())
                .map(ServiceConfig::name)
                .toList();
    }

    /** Whether this run's services are kept for the next build. */
    public boolean reused() {
        return reuse.enabled();
    }

    @Override
    public void detach() {
        teardown.detach();
    }
}
