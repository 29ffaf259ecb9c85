package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.LogWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The backend one service's plugin sees. It names, labels and networks every container the
 * plugin starts, and remembers them so the engine can remove them whatever the plugin does.
 */
final class ScopedBackend implements ContainerBackend, dev.cleanroom.engine.spi.ServiceContext {

    private final ContainerRuntime runtime;
    private final RunContext run;
    private final String service;
    private final Map<String, Duration> started = new LinkedHashMap<>();
    private final List<String> images = new ArrayList<>();

    private final EngineLog log;
    private final java.util.function.Function<String, Optional<dev.cleanroom.engine.spi.ServiceHandle>> peers;

    private final Redactor redactor;
    /** Log watches by container id and pattern: one followed stream each, closed when the container stops. */
    private final Map<String, FollowedLog> logWatches = new LinkedHashMap<>();

    private final BindMountCheck bindMounts;
    private final ImageChoice imageChoice;
    /** Labels of this service's containers besides the run's: a reused service's hash and creation time. */
    private volatile Map<String, String> serviceLabels = Map.of();

    /** The image a container is created of, as the run's pull policy and mirror have it. */
    @FunctionalInterface
    interface ImageChoice {
        String imageFor(String image) throws CleanroomException;
    }

    ScopedBackend(
            ContainerRuntime runtime,
            RunContext run,
            String service,
            EngineLog log,
            Redactor redactor,
            java.util.function.Function<String, Optional<dev.cleanroom.engine.spi.ServiceHandle>> peers,
            BindMountCheck bindMounts,
            ImageChoice imageChoice) {
        this.imageChoice = imageChoice;
        this.bindMounts = bindMounts;
        this.redactor = redactor;
        this.runtime = runtime;
        this.run = run;
        this.service = service;
        this.log = log;
        this.peers = peers;
    }

    @Override
    public Optional<dev.cleanroom.engine.spi.ServiceHandle> service(String name) {
        return peers.apply(name);
    }

    @Override
    public String serviceName() {
        return service;
    }

    @Override
    public ContainerBackend containers() {
        return this;
    }

    @Override
    public java.util.Set<String> serviceNames() {
        return run.serviceNames;
    }

    @Override
    public EngineLog log() {
        return log;
    }

    @Override
    public ContainerInfo startContainer(ContainerSpec spec) throws CleanroomException {
        refuseWhenClosing();
        // Secrets a plugin found outside the file (a token from the environment) are masked too.
        spec.secretEnvNames().forEach(name -> redactor.add(spec.env().get(name)));
        String image = imageChoice.imageFor(spec.image());
        ContainerSpec.Builder owned =
                spec.toBuilder(image).labels(run.labels).labels(serviceLabels).label(Labels.SERVICE, service);
        synchronized (this) {
            owned.name(containerName(started.size()));
            if (spec.networkMode().isEmpty()) {
                owned.networkMode(run.networkName);
                if (started.isEmpty()) {
                    owned.alias(service);
                }
            }
            images.add(image);
        }
        ContainerSpec labelled = owned.build();
        // Labelled first: should the check leave a probe container behind, the run's removal finds it.
        bindMounts.verify(labelled);
        ContainerInfo info = runtime.startContainer(labelled);
        synchronized (this) {
            started.put(info.id(), spec.stopTimeout());
        }
        if (run.closing.get()) {
            // Teardown began while Docker was starting this one: do not leave it behind.
            removeAll();
            refuseWhenClosing();
        }
        return info;
    }

    /** Labels every container this service starts from now on carries too. */
    void serviceLabels(Map<String, String> labels) {
        this.serviceLabels = Map.copyOf(labels);
    }

    /**
     * A container an earlier run started for this service, now this run's: it counts as one the
     * plugin started (removed with the run, found by its log watches).
     */
    synchronized void adopted(String containerId) {
        started.put(containerId, Duration.ZERO);
    }

    /** Forgets the containers of this service without removing them: they are kept for reuse. Returns their ids. */
    List<String> release() {
        List<String> ids;
        synchronized (this) {
            ids = new ArrayList<>(started.keySet());
            started.clear();
        }
        ids.forEach(this::closeLogWatches);
        return ids;
    }

    String containerName(int index) {
        String base = mainContainerName(run, service);
        return index == 0 ? base : base + "-" + (index + 1);
    }

    /** The name of a service's first container, the one its ports and health belong to. */
    static String mainContainerName(RunContext run, String service) {
        return run.containerPrefix + "-" + service;
    }

    private void refuseWhenClosing() throws CleanroomException {
        if (run.closing.get()) {
            throw new CleanroomException(
                    "Run " + run.runId + " is being stopped; service " + service + " was not started");
        }
    }

    @Override
    public void stopContainer(String containerId) throws CleanroomException {
        Duration timeout;
        synchronized (this) {
            timeout = started.getOrDefault(containerId, Duration.ZERO);
        }
        closeLogWatches(containerId);
        runtime.removeContainer(containerId, timeout);
        synchronized (this) {
            started.remove(containerId);
        }
    }

    private void closeLogWatches(String containerId) {
        List<FollowedLog> closing = new ArrayList<>();
        synchronized (this) {
            logWatches.entrySet().removeIf(e -> {
                boolean ofContainer = e.getKey().startsWith(containerId + "\n");
                if (ofContainer) {
                    closing.add(e.getValue());
                }
                return ofContainer;
            });
        }
        closing.forEach(FollowedLog::close);
    }

    @Override
    public LogWatch watchLog(String containerId, Pattern pattern, Duration limit) throws CleanroomException {
        String key = containerId + "\n" + pattern.flags() + "/" + pattern.pattern();
        synchronized (this) {
            FollowedLog existing = logWatches.get(key);
            if (existing != null) {
                return existing;
            }
        }
        FollowedLog watch = FollowedLog.start(runtime, containerId, pattern, limit);
        FollowedLog raced;
        synchronized (this) {
            raced = logWatches.putIfAbsent(key, watch);
        }
        if (raced != null) {
            watch.close();
            return raced;
        }
        return watch;
    }

    /** Removes whatever the plugin started and did not stop itself. */
    void removeAll() throws CleanroomException {
        List<String> ids;
        synchronized (this) {
            ids = new ArrayList<>(started.keySet());
        }
        CleanroomException first = null;
        for (String id : ids) {
            try {
                stopContainer(id);
            } catch (CleanroomException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The containers this service started that are not removed yet. */
    synchronized int containerCount() {
        return started.size();
    }

    synchronized Optional<String> firstImage() {
        return images.stream().findFirst();
    }

    @Override
    public boolean isRunning(String containerId) throws CleanroomException {
        return runtime.isRunning(containerId);
    }

    @Override
    public ContainerState inspect(String containerId) throws CleanroomException {
        return runtime.inspect(containerId);
    }

    @Override
    public ExecResult exec(String containerId, ExecRequest request) throws CleanroomException {
        return runtime.exec(containerId, request);
    }

    @Override
    public String logs(String containerId, int lines) throws CleanroomException {
        return runtime.logs(containerId, lines);
    }

    @Override
    public String hostAddress() {
        return runtime.hostAddress();
    }
}
