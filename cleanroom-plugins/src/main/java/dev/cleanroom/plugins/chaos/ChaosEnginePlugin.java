package dev.cleanroom.plugins.chaos;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code chaos_engine}: real faults in other services of the run, Pumba style. One sidecar per
 * target shares the target's network namespace (with NET_ADMIN only, for tc and iptables); CPU,
 * memory and disk stress run in a stress-ng container per window placed in the target's cgroup
 * (so it counts against the target's own limits) and removed when the window closes. Every
 * window ends with a recovery that removes what it added; so does stop, which the engine calls
 * once start was called: on teardown, on a failed start, on Ctrl-C and at JVM shutdown.
 */
public final class ChaosEnginePlugin implements ServicePlugin {

    public static final String TYPE = "chaos_engine";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Fault injection (latency, packet loss, bandwidth, CPU, memory and disk I/O stress) into other services";
    }

    @Override
    public List<Key<?>> keys() {
        return ChaosSettings.KEYS;
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        return ChaosSettings.read(settings);
    }

    /** The sidecar for one target: package-private for tests, which pin it. */
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

    /**
     * One run of a chaos service: its sidecars, then (once they run) the session that opens and
     * closes the fault windows. Its handle's container is the first target's sidecar.
     *
     * <p>Never adopted across builds (the default {@code adopt}): its windows are a schedule of
     * one run, kept in this object, so a sidecar left by an earlier build would come with half a
     * schedule and nobody to close its window. Each build starts it afresh; and since it is not
     * {@link ChaosSettings#reusableAcrossBuilds}, the end of a build with reuse stops it too.
     */
    static final class ChaosService implements Service {
        private final ChaosSettings settings;
        private final ServiceContext context;
        /** Targets whose sidecar started, so stop removes exactly those even after a start that failed halfway. */
        private final List<ChaosSession.Target> targets = new ArrayList<>();

        private ChaosSession session;
        private ServiceHandle handle;

        ChaosService(ChaosSettings settings, ServiceContext context) {
            this.settings = settings;
            this.context = context;
        }

        @Override
        public void start() throws CleanroomException {
            ContainerBackend backend = context.containers();
            for (String name : settings.targets()) {
                ServiceHandle target = context.service(name)
                        .orElseThrow(() -> new CleanroomException("chaos service " + settings.service() + ": target \""
                                + name + "\" is not a ready service of this run"));
                String sidecarId = backend.startContainer(sidecarSpec(settings, target.containerId()))
                        .id();
                targets.add(new ChaosSession.Target(name, target.containerId(), sidecarId));
            }
            session = new ChaosSession(settings, backend, context.log(), targets);
            handle = ServiceHandle.builder(settings.service(), targets.get(0).sidecarId, backend.hostAddress())
                    .endpoint("targets", String.join(",", settings.targets()))
                    .build();
        }

        @Override
        public HealthStatus checkHealth() throws CleanroomException {
            return context.containers().isRunning(handle.containerId())
                    ? HealthStatus.ok("sidecar running")
                    : HealthStatus.notYet("sidecar not running");
        }

        /** The faults begin once the sidecars run; a failure here is recovered by stop, which follows. */
        @Override
        public void afterReady() throws CleanroomException {
            session.begin();
            handle = handle.withEndpoint("latency_mode", session.latencyMode());
        }

        @Override
        public ServiceHandle handle() {
            return handle;
        }

        /** Recovers the targets, then removes every sidecar that started, even when one removal fails. */
        @Override
        public void stop() throws CleanroomException {
            if (session != null) {
                session.stop();
            }
            CleanroomException first = null;
            for (ChaosSession.Target target : targets) {
                try {
                    context.containers().stopContainer(target.sidecarId);
                } catch (CleanroomException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            targets.clear();
            if (first != null) {
                throw first;
            }
        }
    }
}
