package dev.cleanroom.engine.testing;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.internal.ContainerRuntime;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.PortSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test double of a container engine: containers and networks live in memory. Tests script
 * what images do (fail to start, exit, answer execs) and then assert what is left.
 */
public final class FakeRuntime implements ContainerRuntime {

    private final Map<String, FakeContainer> containers = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Map<String, String>> networks = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> networkNames = Collections.synchronizedMap(new HashMap<>());
    /** By network id: the build containers that joined it (builds that run in a container). */
    private final Map<String, java.util.Set<String>> buildsOnNetworks = new ConcurrentHashMap<>();

    private final Map<String, String> startFailures = new HashMap<>();
    private final Map<String, String> removalFailures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> joinFailures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> exitsAtStart = new HashMap<>();
    private final Map<String, String> logsByImage = new HashMap<>();
    private final Map<String, Integer> exitsAfterFirstInspect = new HashMap<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger logReads = new AtomicInteger();
    private final AtomicInteger openLogFollows = new AtomicInteger();
    private final AtomicInteger nextHostPort = new AtomicInteger(32768);
    private volatile Function<List<String>, ExecResult> execHandler =
            argv -> new ExecResult(0, String.join(" ", argv) + "\n", "", Duration.ofMillis(1), false);
    private volatile int closeCount;
    private final java.util.Set<String> oomKilled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile dev.cleanroom.engine.internal.ServiceReach reach =
            dev.cleanroom.engine.internal.ServiceReach.onHost("fake://daemon");
    private volatile boolean sharesFiles = true;
    private final List<java.nio.file.Path> bindMountChecks = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger networkAddresses = new AtomicInteger(1);

    /** Images this daemon does not have; every other image is present. */
    private final java.util.Set<String> missingImages = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Digests by image of what the daemon has (absent: an image id made up from the name). */
    private final Map<String, String> localDigests = new java.util.concurrent.ConcurrentHashMap<>();

    /** What a pull of an image gets, by image: its digest in the registry. Absent: the pull fails. */
    private final Map<String, String> registry = new java.util.concurrent.ConcurrentHashMap<>();

    private final List<String> pulls = Collections.synchronizedList(new ArrayList<>());

    /** The daemon does not have {@code image}: a container of it cannot be created, as without a registry. */
    public FakeRuntime imageMissing(String image) {
        missingImages.add(image);
        return this;
    }

    /** The daemon has {@code image}, pulled by {@code digest} ({@code sha256:...}). */
    public FakeRuntime imageDigest(String image, String digest) {
        missingImages.remove(image);
        localDigests.put(image, digest);
        return this;
    }

    /** A registry serves {@code image} at {@code digest}: a pull of it succeeds and the daemon then has that. */
    public FakeRuntime inRegistry(String image, String digest) {
        registry.put(image, digest);
        return this;
    }

    /** The images pulled, in order. */
    public List<String> pulls() {
        synchronized (pulls) {
            return List.copyOf(pulls);
        }
    }

    @Override
    public java.util.Optional<dev.cleanroom.engine.internal.ImageInfo> inspectImage(String image) {
        if (missingImages.contains(image)) {
            return java.util.Optional.empty();
        }
        String digest = localDigests.get(image);
        return java.util.Optional.of(
                digest == null
                        ? new dev.cleanroom.engine.internal.ImageInfo("sha256:id-of-" + image, List.of())
                        : new dev.cleanroom.engine.internal.ImageInfo(
                                "sha256:id-of-" + image,
                                List.of(dev.cleanroom.engine.internal.ImageName.repository(image) + "@" + digest)));
    }

    @Override
    public dev.cleanroom.engine.internal.ImageInfo pullImage(String image, java.util.function.Consumer<String> progress)
            throws CleanroomException {
        checkAnswering();
        String digest = registry.get(image);
        if (digest == null) {
            events.add("pull-failed " + image);
            throw new CleanroomException("Image \"" + image + "\" is not present locally and could not be pulled "
                    + "(pull access denied for " + image + ")");
        }
        pulls.add(image);
        events.add("pull " + image);
        progress.accept("layer1: Pull complete");
        progress.accept("Digest: " + digest);
        imageDigest(image, digest);
        return inspectImage(image).orElseThrow();
    }

    /** Pings left before a stopped daemon answers again; 0 = it answers, negative = it never comes back. */
    private final AtomicInteger pingsUntilBack = new AtomicInteger();

    /** Removing a container of {@code image} fails with {@code message}, while the daemon answers. */
    public FakeRuntime failRemovalOf(String image, String message) {
        removalFailures.put(image, message);
        return this;
    }

    /** Starting a container of {@code image} fails with {@code message}. */
    public FakeRuntime failStartOf(String image, String message) {
        startFailures.put(image, message);
        return this;
    }

    /** Containers of {@code image} stop right after starting, with {@code exitCode}. */
    public FakeRuntime exitAtStart(String image, int exitCode) {
        exitsAtStart.put(image, exitCode);
        return this;
    }

    /** Containers of {@code image} are killed by the kernel for their memory right after starting (exit 137). */
    public FakeRuntime oomKilledAtStart(String image) {
        oomKilled.add(image);
        return exitAtStart(image, 137);
    }

    /** Containers of {@code image} look running to the first inspect and have exited with {@code exitCode} right after it. */
    public FakeRuntime exitAfterFirstInspect(String image, int exitCode) {
        exitsAfterFirstInspect.put(image, exitCode);
        return this;
    }

    public FakeRuntime logsOf(String image, String logs) {
        logsByImage.put(image, logs);
        return this;
    }

    /** The build reaches this daemon's services as {@code reach} says (on its host unless told). */
    public FakeRuntime reachAs(dev.cleanroom.engine.internal.ServiceReach reach) {
        this.reach = reach;
        return this;
    }

    /** The daemon runs where none of this machine's files are: a bind mount shows it nothing. */
    public FakeRuntime sharesNoFiles() {
        this.sharesFiles = false;
        return this;
    }

    /** The directories whose sharing with the daemon was checked, in order. */
    public List<java.nio.file.Path> bindMountChecks() {
        synchronized (bindMountChecks) {
            return List.copyOf(bindMountChecks);
        }
    }

    @Override
    public dev.cleanroom.engine.internal.ServiceReach reach() {
        return reach;
    }

    /** Sees the marker exactly when it is on this machine and the daemon shares this machine's files. */
    @Override
    public boolean seesBindMount(java.nio.file.Path directory, String fileName, ContainerSpec spec) {
        bindMountChecks.add(directory);
        events.add("bind-mount check " + directory);
        return sharesFiles && java.nio.file.Files.exists(directory.resolve(fileName));
    }

    /** What every exec returns; receives the argv. */
    public FakeRuntime onExec(Function<List<String>, ExecResult> handler) {
        this.execHandler = handler;
        return this;
    }

    /**
     * The daemon stops answering for good: every call fails as a refused connection would.
     * What existed stays.
     */
    public FakeRuntime stopAnswering() {
        pingsUntilBack.set(-1);
        events.add("daemon stopped");
        return this;
    }

    /** As {@link #stopAnswering()}, but the daemon is back after {@code pings} failed pings, as after a restart. */
    public FakeRuntime stopAnsweringFor(int pings) {
        pingsUntilBack.set(pings);
        events.add("daemon stopped");
        return this;
    }

    /** The stopped daemon is back. */
    public FakeRuntime answerAgain() {
        pingsUntilBack.set(0);
        events.add("daemon back");
        return this;
    }

    private void checkAnswering() throws CleanroomException {
        if (pingsUntilBack.get() != 0) {
            throw new CleanroomException("IOException: Connection refused");
        }
    }

    @Override
    public boolean answers() {
        int left = pingsUntilBack.get();
        if (left > 0 && pingsUntilBack.decrementAndGet() == 0) {
            events.add("daemon back");
        }
        return left == 0;
    }

    /** A factory for {@code TestEngines.builderWithRuntime(...)} that hands out this instance. */
    public dev.cleanroom.engine.internal.RuntimeFactory factory() {
        return (EngineLog log) -> this;
    }

    @Override
    public ContainerInfo startContainer(ContainerSpec spec) throws CleanroomException {
        if (missingImages.contains(spec.image())) {
            // As Docker's create: pull what is missing first.
            pullImage(spec.image(), line -> {});
        }
        String failure = startFailures.get(spec.image());
        if (failure != null) {
            events.add("start-failed " + spec.image());
            throw new CleanroomException(failure);
        }
        String id = "c" + ids.incrementAndGet();
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        for (PortSpec port : spec.ports()) {
            ports.put(port.containerPort(), port.hostPort() == 0 ? nextHostPort.getAndIncrement() : port.hostPort());
        }
        Integer exit = exitsAtStart.get(spec.image());
        synchronized (containers) {
            String name = spec.name().orElse(null);
            if (name != null
                    && containers.values().stream()
                            .anyMatch(c -> name.equals(c.spec().name().orElse(null)))) {
                events.add("start-conflict " + name);
                throw new CleanroomException("Could not create a container from image " + spec.image()
                        + ": Conflict. The container name \"/" + name + "\" is already in use");
            }
            containers.put(id, new FakeContainer(id, spec, exit == null, exit == null ? 0 : exit, ports));
        }
        events.add("start " + spec.name().orElse(id));
        // Each container gets an address on the run's network, as Docker's IPAM would hand out.
        String networkAddress = "172.18.0." + (1 + networkAddresses.incrementAndGet());
        return reach.exported(id, spec.name().orElse(id), spec.ports(), ports, java.util.Optional.of(networkAddress));
    }

    /** As Docker: a second container of one name is refused with 409 Conflict; created, not started. */
    @Override
    public java.util.Optional<String> createNamed(ContainerSpec spec) throws CleanroomException {
        checkAnswering();
        String name = spec.name().orElseThrow();
        synchronized (containers) {
            if (containers.values().stream()
                    .anyMatch(c -> name.equals(c.spec().name().orElse(null)))) {
                events.add("create-conflict " + name);
                return java.util.Optional.empty();
            }
            String id = "c" + ids.incrementAndGet();
            containers.put(id, new FakeContainer(id, spec, false, 0));
            events.add("create " + name);
            return java.util.Optional.of(id);
        }
    }

    @Override
    public ContainerInfo describe(String containerId, java.util.Optional<String> network) throws CleanroomException {
        checkAnswering();
        FakeContainer container = containers.get(containerId);
        if (container == null) {
            throw new CleanroomException("No such container: " + containerId);
        }
        Map<Integer, Integer> ports = new LinkedHashMap<>(container.hostPorts());
        return new ContainerInfo(containerId, container.spec().name().orElse(containerId), reach.exportedHost(), ports);
    }

    /** Makes the container look exited (code 137), as a daemon restart or an OOM kill would. */
    public FakeRuntime kill(String containerId) {
        FakeContainer container = containers.get(containerId);
        containers.put(
                containerId, new FakeContainer(containerId, container.spec(), false, 137, container.hostPorts()));
        return this;
    }

    @Override
    public void removeContainer(String containerId, Duration stopTimeout) throws CleanroomException {
        checkAnswering();
        FakeContainer existing = containers.get(containerId);
        if (existing != null && removalFailures.containsKey(existing.spec().image())) {
            events.add("remove-failed " + existing.spec().name().orElse(containerId));
            throw new CleanroomException(removalFailures.get(existing.spec().image()));
        }
        FakeContainer removed = containers.remove(containerId);
        if (removed != null) {
            events.add("remove " + removed.spec().name().orElse(containerId));
        }
    }

    @Override
    public boolean isRunning(String containerId) {
        return inspect(containerId).running();
    }

    @Override
    public ContainerState inspect(String containerId) {
        FakeContainer container = containers.get(containerId);
        if (container == null) {
            return new ContainerState(false, -1, false, "removed", "the container no longer exists");
        }
        Integer exitNow = exitsAfterFirstInspect.get(container.spec().image());
        if (exitNow != null && container.running()) {
            containers.put(
                    containerId,
                    new FakeContainer(containerId, container.spec(), false, exitNow, container.hostPorts()));
        }
        return new ContainerState(
                container.running(),
                container.exitCode(),
                !container.running() && oomKilled.contains(container.spec().image()),
                container.running() ? "running" : "exited",
                "");
    }

    @Override
    public ExecResult exec(String containerId, ExecRequest request) throws CleanroomException {
        checkAnswering();
        FakeContainer container = containers.get(containerId);
        if (container == null || !container.running()) {
            throw new CleanroomException("container " + containerId + " is not running");
        }
        events.add("exec " + String.join(" ", request.argv()));
        return execHandler.apply(request.argv());
    }

    @Override
    public String logs(String containerId, int lines) {
        logReads.incrementAndGet();
        FakeContainer container = containers.get(containerId);
        return container == null
                ? ""
                : logsByImage.getOrDefault(container.spec().image(), "");
    }

    /**
     * Hands the scripted log's lines to {@code onLine} at once, on the caller's thread; the stream
     * then stays open until closed, as a running container's would.
     */
    @Override
    public AutoCloseable followLogs(String containerId, Duration limit, java.util.function.Consumer<String> onLine) {
        FakeContainer container = containers.get(containerId);
        String logs = container == null
                ? ""
                : logsByImage.getOrDefault(container.spec().image(), "");
        openLogFollows.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        for (String line : logs.split("\n")) {
            if (!line.isEmpty()) {
                onLine.accept(line);
            }
        }
        return () -> {
            if (closed.compareAndSet(false, true)) {
                openLogFollows.decrementAndGet();
            }
        };
    }

    /** Log streams followed and not closed yet. */
    public int openLogFollows() {
        return openLogFollows.get();
    }

    @Override
    public String hostAddress() {
        return reach.exportedHost();
    }

    @Override
    public String createNetwork(String name, Map<String, String> labels) {
        String id = "n" + ids.incrementAndGet();
        networks.put(id, labels);
        networkNames.put(id, name);
        events.add("network " + name);
        // As the Docker runtime does: a build that dials services on the run's network joins it.
        if (reach.joinsRunNetwork()) {
            buildsOnNetworks
                    .computeIfAbsent(id, n -> ConcurrentHashMap.newKeySet())
                    .add(reach.containerId().orElseThrow());
        }
        return id;
    }

    @Override
    public void removeNetwork(String networkId) throws CleanroomException {
        checkAnswering();
        networks.remove(networkId);
        networkNames.remove(networkId);
        buildsOnNetworks.remove(networkId);
    }

    /** Joining the network of that name fails with {@code message}, as a daemon refusing the connect would. */
    public FakeRuntime failJoinOf(String networkName, String message) {
        joinFailures.put(networkName, message);
        return this;
    }

    @Override
    public void joinNetwork(String networkId) throws CleanroomException {
        checkAnswering();
        if (!networks.containsKey(networkId)) {
            throw new CleanroomException("No such network: " + networkId);
        }
        String refused = joinFailures.get(networkNames.get(networkId));
        if (refused != null && reach.joinsRunNetwork()) {
            events.add("join-failed " + networkNames.get(networkId));
            throw new CleanroomException(refused);
        }
        if (reach.joinsRunNetwork()
                && buildsOnNetworks
                        .computeIfAbsent(networkId, n -> ConcurrentHashMap.newKeySet())
                        .add(reach.containerId().orElseThrow())) {
            events.add("join " + networkNames.get(networkId) + " "
                    + reach.containerId().orElseThrow());
        }
    }

    /** The builds' own containers (in-container builds) on the network of that name. */
    public java.util.Set<String> buildsOn(String networkName) {
        return networkNames.entrySet().stream()
                .filter(e -> e.getValue().equals(networkName))
                .findFirst()
                .map(e -> java.util.Set.copyOf(buildsOnNetworks.getOrDefault(e.getKey(), java.util.Set.of())))
                .orElse(java.util.Set.of());
    }

    @Override
    public List<LabeledResource> findContainers(String labelKey) throws CleanroomException {
        checkAnswering();
        synchronized (containers) {
            return containers.values().stream()
                    .filter(c -> c.spec().labels().containsKey(labelKey))
                    .map(c -> new LabeledResource(
                            c.id(), c.spec().name().orElse(c.id()), c.spec().labels()))
                    .toList();
        }
    }

    @Override
    public List<LabeledResource> findNetworks(String labelKey) throws CleanroomException {
        checkAnswering();
        synchronized (networks) {
            return networks.entrySet().stream()
                    .filter(e -> e.getValue().containsKey(labelKey))
                    .map(e -> new LabeledResource(e.getKey(), networkNames.get(e.getKey()), e.getValue()))
                    .toList();
        }
    }

    @Override
    public void close() {
        closeCount++;
    }

    /** Adds a container as if another process had started it, e.g. a dead build's leftover. */
    public String plant(ContainerSpec spec) {
        String id = "c" + ids.incrementAndGet();
        containers.put(id, new FakeContainer(id, spec, true, 0));
        return id;
    }

    public List<ContainerSpec> runningSpecs() {
        synchronized (containers) {
            return containers.values().stream().map(FakeContainer::spec).toList();
        }
    }

    public int containerCount() {
        return containers.size();
    }

    public int networkCount() {
        return networks.size();
    }

    public List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** How often a container's log was read whole (each {@link #logs} call). */
    public int logReads() {
        return logReads.get();
    }

    public int closeCount() {
        return closeCount;
    }

    private record FakeContainer(
            String id, ContainerSpec spec, boolean running, int exitCode, Map<Integer, Integer> hostPorts) {
        FakeContainer(String id, ContainerSpec spec, boolean running, int exitCode) {
            this(id, spec, running, exitCode, Map.of());
        }
    }

    /** The id of the container named {@code name}; empty when there is none. */
    public java.util.Optional<String> idOf(String name) {
        synchronized (containers) {
            return containers.values().stream()
                    .filter(c -> name.equals(c.spec().name().orElse(null)))
                    .map(FakeContainer::id)
                    .findFirst();
        }
    }

    /** The ids of every container, in creation order. */
    public List<String> containerIds() {
        synchronized (containers) {
            return List.copyOf(containers.keySet());
        }
    }
}
