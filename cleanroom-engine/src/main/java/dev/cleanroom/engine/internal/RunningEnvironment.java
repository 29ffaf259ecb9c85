package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.HealthStatus;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Starts a file's services on their own network, in parallel where the file's
 * {@link dev.cleanroom.engine.config.ServiceGraph} allows, each ready only once healthy (see
 * {@link HealthWait}); and removes all of it again through {@link Teardown}, on {@link #stop()},
 * on a failed start, and at JVM shutdown (Ctrl-C).
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

    private final AtomicBoolean aborted = new AtomicBoolean();
    private final BindMountCheck bindMounts;
    private final RunImages images;
    private final StartFailures startFailures;
    private final HealthWait healthWait;
    private final Teardown teardown;
    private Duration startDuration = Duration.ZERO;
    /** Set once every service is ready: a stop after that leaves reused services for the next build. */
    private volatile boolean startedCompletely;

    /** Whether this file's services are kept for the next build, and which source said so. */
    private final ReuseDecision reuseDecision;
    /** The reuse scope of the file; null when its services are not reused. */
    private final ReuseScope reuseScope;

    private final ReuseOptions reuseOptions;
    /** Reused services found when the lock was taken, by service name; read by each service's start. */
    private final Map<String, List<ContainerRuntime.LabeledResource>> reusable =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Services started afresh in this run: their dependents cannot be adopted (they know the old ones). */
    private final java.util.Set<String> startedAfresh = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Services adopted from an earlier build, by name: id of the container. */
    private final Map<String, String> adopted = Collections.synchronizedMap(new LinkedHashMap<>());

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
        this.reuseOptions = reuseOptions;
        this.reuseDecision = ReuseDecision.decide(
                reuseOptions.build(),
                reuseOptions.buildSource(),
                file.reuse(),
                String.valueOf(file.path().getFileName()),
                reuseOptions.environment());
        this.reuseScope =
                reuseDecision.enabled() ? ReuseScope.of(project, reuseOptions.projectDirectory(), file.path()) : null;
        if (reuseScope == null) {
            String runId = UUID.randomUUID().toString().replace("-", "");
            this.run = new RunContext(
                    runId,
                    "clnrm-" + runId.substring(0, 8),
                    Labels.forRun(runId, project, file.path(), keep),
                    file.services().keySet());
        } else {
            // One run id, network and container names for every build of this file: the next build finds them.
            // Kept (dev.cleanroom.keep) as well: sweeps of earlier Cleanroom versions, which know no
            // reuse label, must not take them for a dead build's leftovers either.
            Map<String, String> labels =
                    new LinkedHashMap<>(Labels.forRun(reuseScope.runId(), project, file.path(), true));
            labels.put(Labels.FILE, reuseScope.relativeFile());
            labels.put(Labels.REUSE, reuseScope.key());
            this.run = new RunContext(
                    reuseScope.runId(),
                    reuseScope.key().substring(0, 8),
                    reuseScope.networkName(),
                    reuseScope.networkName(),
                    labels,
                    file.services().keySet());
        }
        this.bindMounts = new BindMountCheck(runtime);
        this.startFailures = new StartFailures(redactor);
        this.healthWait = new HealthWait(runtime, log, startFailures, aborted);
        this.teardown = new Teardown(runtime, log, run, file.graph(), daemonWait, backends, begun, aborted);
    }

    /**
     * Starts every service of {@code file}. On failure everything already started is removed
     * before the exception is thrown.
     */
    public static RunningEnvironment start(
            TestFile file,
            ServiceFactory factory,
            ContainerRuntime runtime,
            EngineLog log,
            String project,
            boolean keep,
            Duration daemonWait)
            throws CleanroomException {
        return start(file, factory, runtime, log, project, keep, daemonWait, ImageOptions.DEFAULT);
    }

    /** As above, with the build's pull policy and mirror. */
    public static RunningEnvironment start(
            TestFile file,
            ServiceFactory factory,
            ContainerRuntime runtime,
            EngineLog log,
            String project,
            boolean keep,
            Duration daemonWait,
            ImageOptions imageOptions)
            throws CleanroomException {
        return start(file, factory, runtime, log, project, keep, daemonWait, imageOptions, ReuseOptions.unset());
    }

    /** As above, with the build's say on reuse across builds. */
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
        teardown.addShutdownHook();
        List<ServiceStartException> failures = Collections.synchronizedList(new ArrayList<>());
        // The sweep only touches runs whose owner is dead, never this one: it need not delay the start.
        CompletableFuture<Void> sweep = CompletableFuture.runAsync(() -> {
            try {
                Sweeper.sweepDeadRuns(runtime, log, reuseOptions.ttl());
            } catch (CleanroomException e) {
                log.warn("Could not sweep what dead builds left behind: " + e.getMessage());
            }
        });
        if (reuseScope != null
                || reuseOptions.build().isPresent()
                || file.reuse().isPresent()) {
            log.info(reuseDecision.reason());
        } else {
            log.debug(reuseDecision.reason());
        }
        ReuseLock lock = null;
        try {
            if (reuseScope != null) {
                lock = ReuseLock.acquire(runtime, reuseScope, lockImage(), reuseOptions.lockWait(), log);
                findReusable();
                teardown.networkCreated(reuseNetwork());
            } else {
                teardown.networkCreated(runtime.createNetwork(run.networkName, run.labels));
            }
            ServiceReach reach = runtime.reach();
            log.info(reach.describe());
            reach.exposureWarning().ifPresent(log::warn);
            log.info("Starting " + file.services().size() + " service(s) of "
                    + file.path().getFileName() + " (" + (reuseScope == null ? "run " : "reused, scope ")
                    + run.shortId() + ", network " + run.networkName + ")");
            startInParallel(failures);
        } catch (CleanroomException | RuntimeException e) {
            sweep.join();
            teardown.stop(Teardown.Cause.START_FAILED);
            release(lock);
            throw e;
        }
        sweep.join();
        if (!failures.isEmpty()) {
            teardown.stop(Teardown.Cause.START_FAILED);
            release(lock);
            throw StartFailures.combined(failures, teardown.leftBehind(), run.shortId());
        }
        if (reuseScope != null) {
            // From here on the services are the next build's too: Ctrl-C during the tests leaves them.
            teardown.keepForReuse();
            release(lock);
        }
        startedCompletely = true;
        startDuration = Duration.ofNanos(System.nanoTime() - begin);
    }

    private static void release(ReuseLock lock) {
        if (lock != null) {
            lock.close();
        }
    }

    /**
     * An image to create the lock container from: the first a service of the file runs, as the
     * run's pull policy and mirror have it (pulled if missing, as its start would).
     */
    private String lockImage() throws CleanroomException {
        for (String name : file.graph().startOrder()) {
            ServiceConfig config = file.services().get(name);
            List<String> declared = config.definition().images();
            if (!declared.isEmpty() && !declared.get(0).isBlank()) {
                String image = images.forContainer(declared.get(0), name, images.policyOf(config));
                if (runtime.inspectImage(image).isEmpty()) {
                    runtime.pullImage(image, line -> log.debug(image + ": " + line));
                }
                return image;
            }
        }
        throw new CleanroomException(
                "Cannot reuse the services of " + file.path().getFileName()
                        + ": none of them declares an image to create the reuse lock from; set reuse = false under [meta]");
    }

    /** The reused services of this file as the lock holder sees them: by service name. */
    private void findReusable() throws CleanroomException {
        for (ContainerRuntime.LabeledResource container : runtime.findContainers(Labels.REUSE)) {
            Map<String, String> labels = container.labels();
            String service = labels.get(Labels.SERVICE);
            if (reuseScope.key().equals(labels.get(Labels.REUSE)) && service != null) {
                reusable.computeIfAbsent(service, s -> new ArrayList<>()).add(container);
            }
        }
        // A service the file no longer has: nobody would adopt or remove it.
        for (String gone : new ArrayList<>(reusable.keySet())) {
            if (!file.services().containsKey(gone)) {
                for (ContainerRuntime.LabeledResource container : reusable.remove(gone)) {
                    log.info("Removing reused service " + gone + " (" + shortId(container.id())
                            + "): the file no longer declares it");
                    runtime.removeContainer(container.id(), Duration.ZERO);
                }
            }
        }
    }

    /** The file's network that outlives each run: found, else created. */
    private String reuseNetwork() throws CleanroomException {
        for (ContainerRuntime.LabeledResource network : runtime.findNetworks(Labels.REUSE)) {
            if (run.networkName.equals(network.name())) {
                return network.id();
            }
        }
        // No owner label: the sweep of dead builds never takes it; cleanroom:clean does.
        return runtime.createNetwork(
                run.networkName,
                Map.of(
                        Labels.REUSE, reuseScope.key(),
                        Labels.PROJECT, reuseScope.project(),
                        Labels.FILE, reuseScope.relativeFile()));
    }

    private static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
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
        if (reuseScope != null) {
            List<String> imageIds = new ArrayList<>();
            Optional<StartedService> reused = adoptOrClear(config, backend, service, imageIds, begin);
            if (reused.isPresent()) {
                started.put(config.name(), reused.get());
                return;
            }
            // A fresh service: the one that tried to adopt may hold the old container's state.
            startedAfresh.add(config.name());
            service = definition.create(backend);
            begun.put(config.name(), service);
            backend.serviceLabels(Map.of(
                    Labels.REUSE_HASH, reuseHash(config, imageIds),
                    Labels.REUSE_CREATED, String.valueOf(System.currentTimeMillis())));
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

    /**
     * Adopts the service an earlier build left for reuse when it is the same (same hash, nothing
     * it depends on started afresh, younger than its time-to-live, running, its plugin takes it,
     * one health check passes), runs its reset and returns it as started; else removes what there
     * is of it and returns empty, for a fresh start. Fills {@code imageIds} for the hash.
     */
    private Optional<StartedService> adoptOrClear(
            ServiceConfig config, ScopedBackend backend, Service service, List<String> imageIds, long begin)
            throws ServiceStartException {
        String name = config.name();
        List<ContainerRuntime.LabeledResource> found = reusable.getOrDefault(name, List.of());
        String hash;
        try {
            for (String image : config.definition().images()) {
                String chosen = images.forContainer(image, name, images.policyOf(config));
                imageIds.add(runtime.inspectImage(chosen).map(ImageInfo::id).orElse(chosen));
            }
            hash = reuseHash(config, imageIds);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            ContainerRuntime.LabeledResource main = found.stream()
                    .filter(c -> backend.containerName(0).equals(c.name()))
                    .findFirst()
                    .orElse(found.get(0));
            String why = whyNotAdoptable(config, main, hash);
            if (why == null) {
                ContainerInfo info = runtime.describe(main.id(), Optional.of(run.networkName));
                found.forEach(c -> backend.adopted(c.id()));
                if (!service.adopt(info)) {
                    why = "its plugin (" + config.type() + ") cannot adopt a running container";
                } else {
                    HealthStatus health = service.checkHealth();
                    why = health.isHealthy() ? null : "its health check failed: " + health.detail();
                }
            }
            if (why == null) {
                resetBeforeHandOut(config, service, main.id());
                ServiceHandle handle = service.handle();
                adopted.put(name, main.id());
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                String image = config.definition().images().stream().findFirst().orElse("-");
                log.info("Reused " + name + " (" + shortId(main.id()) + ", " + config.type() + ", " + image
                        + ") of an earlier build; ready in " + Durations.format(took) + endpointsOf(handle));
                return Optional.of(new StartedService(
                        name, config.type(), image, handle, took, imageIds.isEmpty() ? "" : imageIds.get(0)));
            }
            log.info("Replacing reused service " + name + " (" + shortId(main.id()) + "): " + why);
            backend.release();
            for (ContainerRuntime.LabeledResource container : found) {
                runtime.removeContainer(container.id(), Duration.ZERO);
            }
            return Optional.empty();
        } catch (CleanroomException | RuntimeException e) {
            throw startFailures.failure(config, backend, "could not be reused: " + e.getMessage(), null, e);
        }
    }

    /** Why the service found cannot be adopted as it is; null when it can be tried. */
    private String whyNotAdoptable(ServiceConfig config, ContainerRuntime.LabeledResource found, String hash)
            throws CleanroomException {
        if (!hash.equals(found.labels().get(Labels.REUSE_HASH))) {
            return "its definition changed (settings, image or file)";
        }
        for (String dependency : file.graph().dependenciesOf(config.name())) {
            if (startedAfresh.contains(dependency)) {
                return "service " + dependency + ", which it depends on, was started afresh";
            }
        }
        if (Labels.reuseExpired(found.labels(), reuseOptions.ttl(), java.time.Instant.now())) {
            return "it is older than its time-to-live (" + Durations.format(reuseOptions.ttl())
                    + ", cleanroom.reuse.ttl)";
        }
        ContainerState state = runtime.inspect(found.id());
        return state.running() ? null : "it " + state.describe();
    }

    private String reuseHash(ServiceConfig config, List<String> imageIds) {
        return reuseScope.serviceHash(config.canonicalText(), imageIds);
    }

    /**
     * The service's reset.command in its container, then its plugin's reset: an adopted service
     * is handed out clean where the file says how; without either, its data carries over.
     */
    private void resetBeforeHandOut(ServiceConfig config, Service service, String containerId)
            throws CleanroomException {
        if (!config.resetCommand().isEmpty()) {
            ExecResult result = runtime.exec(containerId, ExecRequest.of(config.resetCommand(), RESET_TIMEOUT));
            if (result.exitCode() != 0 || result.timedOut()) {
                throw new CleanroomException("reset.command " + config.resetCommand() + " "
                        + (result.timedOut()
                                ? "did not finish within " + Durations.format(RESET_TIMEOUT)
                                : "exited with code " + result.exitCode())
                        + ": "
                        + redactor.apply(result.stderr().isBlank() ? result.stdout() : result.stderr())
                                .strip());
            }
            log.info("Reset " + config.name() + " with reset.command " + config.resetCommand());
        }
        service.reset();
    }

    /** How long a reset.command may run: a truncate or a restore, not a migration. */
    private static final Duration RESET_TIMEOUT = Duration.ofMinutes(2);

    private static String endpointsOf(ServiceHandle handle) {
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
        if (reuseScope != null && startedCompletely) {
            return teardown.leave("Left " + started.size() + " service(s) of "
                    + file.path().getFileName()
                    + " running for the next build to reuse ("
                    + services().stream()
                            .map(service -> service.name() + " "
                                    + shortId(service.handle().containerId()))
                            .collect(Collectors.joining(", "))
                    + "; network "
                    + run.networkName + "); remove them with mvn cleanroom:clean, or mvn cleanroom:stop "
                    + "-Dcleanroom.reuse=false");
        }
        return teardown.stop(Teardown.Cause.RUN_ENDED);
    }

    /** Whether this run's services are kept for the next build. */
    public boolean reused() {
        return reuseScope != null;
    }

    @Override
    public void detach() {
        teardown.detach();
    }
}
