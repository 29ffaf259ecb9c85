package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * How a run reuses an earlier build's services (issue #17): whether it does, the run id, network
 * and labels every build of the file shares, the lock that lets one build at a time look, which
 * services an earlier build left, and whether each can be adopted or must be started afresh.
 * {@link RunningEnvironment} asks it at each step of the lifecycle; without reuse only
 * {@link #run()} and {@link #logDecision()} matter.
 */
final class ReusedServices {

    /** How long a reset.command may run: a truncate or a restore, not a migration. */
    private static final Duration RESET_TIMEOUT = Duration.ofMinutes(2);

    private final TestFile file;
    private final ContainerRuntime runtime;
    private final EngineLog log;
    private final Redactor redactor;
    private final RunImages images;
    private final StartFailures startFailures;
    private final ReuseOptions options;
    /** Whether this file's services are kept for the next build, and which source said so. */
    private final ReuseDecision decision;
    /** The reuse scope of the file; null when its services are not reused. */
    private final ReuseScope scope;

    private final RunContext run;
    /** Reused services found when the lock was taken, by service name; read by each service's start. */
    private final Map<String, List<ContainerRuntime.LabeledResource>> reusable = new ConcurrentHashMap<>();
    /** Services started afresh in this run: their dependents cannot be adopted (they know the old ones). */
    private final Set<String> startedAfresh = ConcurrentHashMap.newKeySet();
    /** Held from before the search for reusable services until every service is ready or removed. */
    private ReuseLock lock;
    /**
     * Set while the run adopts what it found without taking the lock (see
     * {@link #networkIfAllAdoptableWithoutLock()}): an adoption that fails then sends the run back
     * for the lock instead of replacing anything.
     */
    private volatile boolean withoutLock;

    ReusedServices(
            TestFile file,
            ContainerRuntime runtime,
            EngineLog log,
            Redactor redactor,
            RunImages images,
            StartFailures startFailures,
            String project,
            boolean keep,
            ReuseOptions options) {
        this.file = file;
        this.runtime = runtime;
        this.log = log;
        this.redactor = redactor;
        this.images = images;
        this.startFailures = startFailures;
        this.options = options;
        this.decision = ReuseDecision.decide(
                options.build(),
                options.buildSource(),
                file.reuse(),
                String.valueOf(file.path().getFileName()),
                options.environment());
        this.scope = decision.enabled() ? ReuseScope.of(project, options.projectDirectory(), file.path()) : null;
        if (scope == null) {
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
            Map<String, String> labels = new LinkedHashMap<>(Labels.forRun(scope.runId(), project, file.path(), true));
            labels.put(Labels.FILE, scope.relativeFile());
            labels.put(Labels.REUSE, scope.key());
            this.run = new RunContext(
                    scope.runId(),
                    scope.key().substring(0, 8),
                    scope.networkName(),
                    scope.networkName(),
                    labels,
                    file.services().keySet());
        }
    }

    /** The run's id, network and labels: shared by every build of the file when its services are reused. */
    RunContext run() {
        return run;
    }

    /** Whether this run's services are kept for the next build. */
    boolean enabled() {
        return scope != null;
    }

    /** How long services left for reuse live; the sweep of dead builds goes by it too. */
    Duration ttl() {
        return options.ttl();
    }

    /** Says why reuse is on or off: at info when anyone asked for either, else at debug. */
    void logDecision() {
        if (scope != null || options.build().isPresent() || file.reuse().isPresent()) {
            log.info(decision.reason());
        } else {
            log.debug(decision.reason());
        }
    }

    /**
     * Looks, without the lock, at what an earlier build left. When no build holds the lock and every
     * service of the file is there, unchanged, younger than its time-to-live and running, the run
     * adopts them without taking it: returns the network's id and sets the run to adopt without
     * the lock. Builds that change nothing then never wait for each other (an IDE run beside
     * mvn verify) and write nothing to the daemon (the lock's create and remove; their time is
     * within bench/reuse.sh's noise, bench/README.md). Else empty, and the run takes the lock. Only
     * reads: whatever must change
     * (a replace, a removal, a create) is done under the lock, after a second look.
     */
    Optional<String> networkIfAllAdoptableWithoutLock() throws CleanroomException {
        if (ReuseLock.holderOf(runtime, scope).isPresent()) {
            return Optional.empty(); // another build may be changing them: wait for it
        }
        Map<String, List<ContainerRuntime.LabeledResource>> found = findReusable();
        if (!file.services().keySet().containsAll(found.keySet())
                || !found.keySet().containsAll(file.services().keySet())) {
            return Optional.empty(); // one to remove or one to create
        }
        for (ServiceConfig config : file.services().values()) {
            ContainerRuntime.LabeledResource main = mainOf(config.name(), found.get(config.name()));
            if (whyNotAdoptable(config, main, reuseHash(config, imageIdsOf(config))) != null) {
                return Optional.empty();
            }
        }
        Optional<String> network = findNetwork();
        if (network.isPresent()) {
            reusable.putAll(found);
            withoutLock = true;
            log.debug("Adopting the reused services of " + scope.relativeFile()
                    + " without the reuse lock: each is there as the file wants it");
        }
        return network;
    }

    /** Whether the run adopts without the lock: any adoption that fails sends it back for it. */
    boolean adoptingWithoutLock() {
        return withoutLock;
    }

    /**
     * Takes the file's reuse lock, then finds what an earlier build left (removing services the
     * file no longer declares) and returns the id of the network that outlives each run. After an
     * adoption without the lock that failed, {@code why} says what sent the run back for it
     * (logged); the run's services must have been forgotten first.
     */
    String lockAndFindNetwork(Optional<String> why) throws CleanroomException {
        why.ifPresent(reason -> log.info("Taking the reuse lock of " + scope.relativeFile() + ": " + reason));
        withoutLock = false;
        reusable.clear();
        startedAfresh.clear();
        lock = ReuseLock.acquire(runtime, scope, lockImage(), options.lockWait(), log);
        reusable.putAll(findReusable());
        removeServicesNoLongerDeclared();
        Optional<String> network = findNetwork();
        return network.isPresent() ? network.get() : createNetwork();
    }

    /** Lets the next build look; a no-op without the lock. */
    void releaseLock() {
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
                if (images.inspect(image).isEmpty()) {
                    images.pullOnce(image, " (to create the reuse lock from)");
                }
                return image;
            }
        }
        throw new CleanroomException(
                "Cannot reuse the services of " + file.path().getFileName()
                        + ": none of them declares an image to create the reuse lock from; set reuse = false under [meta]");
    }

    /** The containers an earlier build left for reuse of this file, by service name. */
    private Map<String, List<ContainerRuntime.LabeledResource>> findReusable() throws CleanroomException {
        Map<String, List<ContainerRuntime.LabeledResource>> found = new LinkedHashMap<>();
        for (ContainerRuntime.LabeledResource container : runtime.findContainers(Labels.REUSE)) {
            Map<String, String> labels = container.labels();
            String service = labels.get(Labels.SERVICE);
            if (scope.key().equals(labels.get(Labels.REUSE)) && service != null) {
                found.computeIfAbsent(service, s -> new ArrayList<>()).add(container);
            }
        }
        return found;
    }

    /** A service the file no longer has: nobody would adopt or remove it. Under the lock only. */
    private void removeServicesNoLongerDeclared() throws CleanroomException {
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

    /** The id of the file's network that outlives each run, when an earlier build created it. */
    private Optional<String> findNetwork() throws CleanroomException {
        for (ContainerRuntime.LabeledResource network : runtime.findNetworks(Labels.REUSE)) {
            if (run.networkName.equals(network.name())) {
                return Optional.of(network.id());
            }
        }
        return Optional.empty();
    }

    /** Creates the file's network that outlives each run. Under the lock only. */
    private String createNetwork() throws CleanroomException {
        // No owner label: the sweep of dead builds never takes it; cleanroom:clean does.
        return runtime.createNetwork(
                run.networkName,
                Map.of(
                        Labels.REUSE, scope.key(),
                        Labels.PROJECT, scope.project(),
                        Labels.FILE, scope.relativeFile()));
    }

    /**
     * Adopts the service an earlier build left for reuse when it is the same (same hash, nothing
     * it depends on started afresh, younger than its time-to-live, running, its plugin takes it,
     * one health check passes), runs its reset and returns it as started; else removes what there
     * is of it and returns empty, for a fresh start. Fills {@code imageIds} for the hash. Without
     * the lock, anything but an adoption throws {@link NeedsLock} and changes nothing.
     */
    Optional<StartedService> adoptOrClear(
            ServiceConfig config, ScopedBackend backend, Service service, List<String> imageIds, long begin)
            throws ServiceStartException {
        String name = config.name();
        List<ContainerRuntime.LabeledResource> found = reusable.getOrDefault(name, List.of());
        boolean checked = withoutLock;
        try {
            imageIds.addAll(imageIdsOf(config));
            String hash = reuseHash(config, imageIds);
            if (found.isEmpty()) {
                if (checked) {
                    throw new NeedsLock(name, "it is gone");
                }
                return Optional.empty();
            }
            ContainerRuntime.LabeledResource main = mainOf(name, found);
            // Checked a moment ago, when the run chose to adopt without the lock.
            String why = checked ? null : whyNotAdoptable(config, main, hash);
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
            if (why != null && checked) {
                throw new NeedsLock(name, why);
            }
            if (why == null) {
                resetBeforeHandOut(config, service, main.id());
                ServiceHandle handle = service.handle();
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                String image = config.definition().images().stream().findFirst().orElse("-");
                log.info("Reused " + name + " (" + shortId(main.id()) + ", " + config.type() + ", " + image
                        + ") of an earlier build; ready in " + Durations.format(took)
                        + RunningEnvironment.endpointsOf(handle));
                return Optional.of(new StartedService(
                        name, config.type(), image, handle, took, imageIds.isEmpty() ? "" : imageIds.get(0)));
            }
            log.info("Replacing reused service " + name + " (" + shortId(main.id()) + "): " + why);
            backend.release();
            for (ContainerRuntime.LabeledResource container : found) {
                runtime.removeContainer(container.id(), Duration.ZERO);
            }
            return Optional.empty();
        } catch (NeedsLock e) {
            throw e;
        } catch (CleanroomException | RuntimeException e) {
            if (checked) {
                // Gone meanwhile, a failing reset or plugin: the build under the lock finds out which.
                throw new NeedsLock(name, e.getMessage());
            }
            throw startFailures.failure(config, backend, "could not be reused: " + e.getMessage(), null, e);
        }
    }

    /**
     * The ids of the images the service's containers would run, as its hash has them: asked of the
     * run's image cache, so the lock's image, the check without the lock and the adoption inspect
     * each image once.
     */
    private List<String> imageIdsOf(ServiceConfig config) throws CleanroomException {
        List<String> imageIds = new ArrayList<>();
        for (String image : config.definition().images()) {
            String chosen = images.forContainer(image, config.name(), images.policyOf(config));
            imageIds.add(images.inspect(chosen).map(ImageInfo::id).orElse(chosen));
        }
        return imageIds;
    }

    /** Of a service's containers, the first one, which its ports and health belong to. */
    private ContainerRuntime.LabeledResource mainOf(String service, List<ContainerRuntime.LabeledResource> found) {
        String name = ScopedBackend.mainContainerName(run, service);
        return found.stream().filter(c -> name.equals(c.name())).findFirst().orElse(found.get(0));
    }

    /**
     * A service that the run adopting without the lock could not adopt as it found it: the run
     * forgets what it adopted, takes the lock and starts again, replacing what it must.
     */
    static final class NeedsLock extends ServiceStartException {
        private static final long serialVersionUID = 1L;

        NeedsLock(String service, String why) {
            super(service, "service " + service + " cannot be adopted as it is (" + why + ")", null);
        }
    }

    /** Marks a service as started afresh: the services that depend on it are not adopted. */
    void startingAfresh(String service) {
        startedAfresh.add(service);
    }

    /** The labels of a service started afresh, by which the next build knows whether to adopt it. */
    Map<String, String> labelsOfFresh(ServiceConfig config, List<String> imageIds) {
        return Map.of(
                Labels.REUSE_HASH, reuseHash(config, imageIds),
                Labels.REUSE_CREATED, String.valueOf(System.currentTimeMillis()));
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
        if (Labels.reuseExpired(found.labels(), options.ttl(), Instant.now())) {
            return "it is older than its time-to-live (" + Durations.format(options.ttl()) + ", cleanroom.reuse.ttl)";
        }
        ContainerState state = runtime.inspect(found.id());
        return state.running() ? null : "it " + state.describe();
    }

    /**
     * The hash of everything that defines the service: its table, its images, where its plugin
     * gives one the fingerprint of the files it reads at start, and the address its ports are
     * published on when it is not loopback (a build from another machine, or an override): a build
     * must not adopt ports it cannot reach, nor keep ports another build exposed. The last two are
     * left out when empty or loopback, so the hash of a service without them is what it always was.
     */
    private String reuseHash(ServiceConfig config, List<String> imageIds) {
        StringBuilder definition = new StringBuilder(config.canonicalText());
        String fingerprint = config.definition().reuseFingerprint();
        if (!fingerprint.isEmpty()) {
            definition.append("fingerprint=").append(fingerprint).append('\n');
        }
        String published = runtime.reach().publishAddress();
        if (!published.equals(PortSpec.LOOPBACK)) {
            definition.append("published=").append(published).append('\n');
        }
        return scope.serviceHash(definition.toString(), imageIds);
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

    /** What the stop of a completely started run says it leaves running for the next build. */
    String leftRunningLine(List<StartedService> services) {
        return "Left " + services.size() + " service(s) of "
                + file.path().getFileName()
                + " running for the next build to reuse ("
                + services.stream()
                        .map(service ->
                                service.name() + " " + shortId(service.handle().containerId()))
                        .collect(Collectors.joining(", "))
                + "; network "
                + run.networkName + "); remove them with mvn cleanroom:clean, or mvn cleanroom:stop "
                + "-Dcleanroom.reuse=false";
    }

    private static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }
}
