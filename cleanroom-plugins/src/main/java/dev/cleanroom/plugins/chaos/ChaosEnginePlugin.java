package dev.cleanroom.plugins.chaos;

import static dev.cleanroom.engine.config.ConfigKey.optional;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ConfigSchema;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.LegacyServicePlugin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code chaos_engine}: real faults in other services of the run, Pumba style. One sidecar per
 * target shares the target's network namespace (with NET_ADMIN only, for tc and iptables); CPU,
 * memory and disk stress run in a stress-ng container per window placed in the target's cgroup
 * (so it counts against the target's own limits) and removed when the window closes. Every
 * window ends with a recovery that removes what it added; so does stop, which the engine calls
 * on teardown, on a failed start, on Ctrl-C and at JVM shutdown.
 */
public final class ChaosEnginePlugin implements LegacyServicePlugin {

    public static final String TYPE = "chaos_engine";

    static final ConfigSchema SCHEMA = ConfigSchema.of(
            optional("image", ValueType.STRING, ChaosSettings.DEFAULT_IMAGE, "Sidecar image with tc, ss, iptables, "
                    + "pkill and python3 (for latency by proxy), run in each target's network namespace; it gets "
                    + "NET_ADMIN (only with network faults) and nothing else"),
            optional("stress_image", ValueType.STRING, ChaosSettings.DEFAULT_STRESS_IMAGE, "Image whose entrypoint "
                    + "is stress-ng: one container per target and window, in the target's cgroup, without network or "
                    + "capabilities, removed when the window closes"),
            optional("targets", ValueType.STRING_LIST, "every other service", "Services to disturb; they are "
                    + "started and healthy before the faults begin"),
            optional("chaos.network.packet_loss_percent", ValueType.NUMBER, "0", "Share of incoming packets "
                    + "dropped (0..100), by an iptables statistic rule in the target's network namespace"),
            optional("chaos.network.bandwidth_kbit", ValueType.INTEGER, "no limit", "Egress rate limit of the "
                    + "target in kbit/s (tbf)"),
            optional("chaos.network.latency_ms", ValueType.INTEGER, "0", "Delay added to what the target sends "
                    + "(0..60000 ms)"),
            optional("chaos.network.jitter_ms", ValueType.INTEGER, "0", "Random variation of the delay, +- ms"),
            optional("chaos.network.mode", ValueType.STRING, "auto", "How latency is added: netem (tc qdisc), "
                    + "proxy (a TCP proxy in the target's network namespace, fed by an iptables REDIRECT of its "
                    + "listening ports; needs python3 in the image), or auto (netem when the kernel has it)"),
            optional("chaos.cpu.stress_percent", ValueType.INTEGER, "0", "Load of each CPU worker (0..100), run "
                    + "in the target's cgroup"),
            optional("chaos.cpu.workers", ValueType.INTEGER, "1", "CPU stress workers (1..64)"),
            optional("chaos.memory.stress_mb", ValueType.INTEGER, "0", "MiB held by a stressor in the target's "
                    + "cgroup, within the target's memory limit"),
            optional("chaos.disk.io_workers", ValueType.INTEGER, "0", "Disk I/O stress workers (0..16) in the "
                    + "target's cgroup, each rewriting its own file in the sidecar with O_DIRECT (real device I/O, "
                    + "counted against the target's blkio limits)"),
            optional("chaos.disk.file_mb", ValueType.INTEGER, "64", "Size of each disk worker's file (1..4096 MiB); "
                    + "removed with the sidecar"),
            optional("chaos.start_delay", ValueType.DURATION, "0s", "Wait after the targets are ready before "
                    + "the first window"),
            optional("chaos.duration", ValueType.DURATION, "until the run stops", "Length of one fault window"),
            optional("chaos.interval", ValueType.DURATION, "one window", "Time between the starts of two "
                    + "windows; needs chaos.duration shorter than it"));

    /** Timers outlive a call; keyed by the chaos service's own container id, removed on stop. */
    private static final Map<String, ChaosSession> SESSIONS = new ConcurrentHashMap<>();

    @Override
    public String serviceType() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Fault injection (latency, packet loss, bandwidth, CPU, memory and disk I/O stress) into other services";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        ChaosSettings.read(config, problems);
        return problems;
    }

    @Override
    public List<ConfigProblem> validate(ServiceConfig config, Set<String> allServices) {
        List<ConfigProblem> problems = validate(config);
        ChaosSettings.checkTargetsExist(config, config.stringList("targets"), allServices, problems);
        return problems;
    }

    @Override
    public List<String> implicitDependencies(ServiceConfig config, Set<String> allServices) {
        return targetNames(config, allServices);
    }

    static List<String> targetNames(ServiceConfig config, Set<String> allServices) {
        List<String> named = config.stringList("targets");
        if (!named.isEmpty()) {
            return named;
        }
        return allServices.stream().filter(s -> !s.equals(config.name())).toList();
    }

    /** The sidecar for one target: public to tests in this package, which pin it. */
    static ContainerSpec sidecarSpec(ChaosSettings settings, String targetContainerId) {
        ContainerSpec.Builder spec = ContainerSpec.builder(settings.image())
                .entrypoint(List.of("sleep"))
                .command(List.of("2147483647"))
                .networkMode("container:" + targetContainerId)
                .stopTimeout(Duration.ZERO);
        if (settings.networkFaults()) {
            spec.capAdd("NET_ADMIN");
        }
        return spec.build();
    }

    /**
     * One window's stressor for one target. cgroupfs driver, cgroup v1 (this project's machines):
     * the target's cgroup is /docker/&lt;full id&gt;, and the stressor's becomes a child of it.
     * {@code safetyTimeout} ends it even if this JVM dies before the window closes.
     */
    static ContainerSpec stressSpec(ChaosSettings settings, String targetContainerId, Duration safetyTimeout) {
        return ContainerSpec.builder(settings.stressImage())
                .command(ChaosCommands.stressArguments(settings, safetyTimeout))
                .cgroupParent("/docker/" + targetContainerId)
                .networkMode("none")
                .stopTimeout(Duration.ZERO)
                .build();
    }

    /** The sidecar, always; the stressor only when CPU, memory or disk stress is asked for. */
    @Override
    public List<String> images(ServiceConfig config) {
        ChaosSettings settings = settings(config);
        return settings.stressFaults() ? List.of(settings.image(), settings.stressImage()) : List.of(settings.image());
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        ChaosSettings settings = settings(config);
        List<String> names = settings.targets().isEmpty() ? readyOthers(config, backend) : settings.targets();
        if (names.isEmpty()) {
            throw new CleanroomException("chaos service " + config.name() + " has no target: the file has no other service");
        }
        List<ChaosSession.Target> targets = new ArrayList<>();
        for (String name : names) {
            ServiceHandle target = backend.service(name).orElseThrow(() -> new CleanroomException("chaos service "
                    + config.name() + ": target \"" + name + "\" is not a ready service of this run"));
            ContainerInfo sidecar = backend.startContainer(sidecarSpec(settings, target.containerId()));
            targets.add(new ChaosSession.Target(name, target.containerId(), sidecar.id()));
        }
        ChaosSession session = new ChaosSession(config.name(), settings, backend, targets);
        String id = targets.get(0).sidecarId;
        SESSIONS.put(id, session);
        return ServiceHandle.builder(config.name(), id, backend.hostAddress())
                .endpoint("targets", String.join(",", names)).build();
    }

    private static List<String> readyOthers(ServiceConfig config, ContainerBackend backend) {
        return backend.serviceNames().stream().filter(n -> !n.equals(config.name()))
                .filter(n -> backend.service(n).isPresent()).toList();
    }

    @Override
    public ServiceHandle afterReady(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        ChaosSession session = SESSIONS.get(handle.containerId());
        if (session == null) {
            throw new CleanroomException("chaos service " + config.name() + " lost its session");
        }
        try {
            session.begin();
        } catch (CleanroomException | RuntimeException e) {
            // The engine does not call stop for a service that never became ready.
            SESSIONS.remove(handle.containerId());
            session.stop();
            throw e;
        }
        return handle.withEndpoint("latency_mode", session.latencyMode());
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        return backend.isRunning(handle.containerId()) ? HealthStatus.ok("sidecar running")
                : HealthStatus.notYet("sidecar not running");
    }

    @Override
    public void stop(ServiceHandle handle, ContainerBackend backend) throws CleanroomException {
        ChaosSession session = SESSIONS.remove(handle.containerId());
        if (session == null) {
            backend.stopContainer(handle.containerId());
            return;
        }
        session.stop();
        for (ChaosSession.Target target : session.targets()) {
            backend.stopContainer(target.sidecarId);
        }
    }

    /** The live session of a chaos service, for tests that measure its windows. */
    static Optional<ChaosSession> session(String containerId) {
        return Optional.ofNullable(SESSIONS.get(containerId));
    }

    private static ChaosSettings settings(ServiceConfig config) {
        // Validated before start, so problems cannot occur here.
        return ChaosSettings.read(config, new ArrayList<>());
    }
}
