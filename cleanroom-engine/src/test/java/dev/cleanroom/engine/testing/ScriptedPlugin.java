package dev.cleanroom.engine.testing;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Test double of a service plugin, type {@code scripted}: starts a container of its
 * {@code image}; becomes healthy after {@code healthy_after} checks (never when negative);
 * {@code start_delay_ms} makes its start slow; {@code rendezvous} names a group whose
 * {@code rendezvous_parties} starts each wait until all of them are in {@code start} at once (so
 * a test proves parallel starts without timing them); {@code health_log} is a
 * regex its output must match too, checked as generic_container's {@code health.log} is.
 */
public final class ScriptedPlugin implements ServicePlugin {

    public static final String TYPE = "scripted";

    static final Key<String> IMAGE = Key.string("image").required().doc("image");
    static final Key<Long> HEALTHY_AFTER =
            Key.integer("healthy_after").byDefault(0L).doc("checks before healthy; <0 never");
    static final Key<Boolean> HEALTH_EXEC =
            Key.bool("health_exec").byDefault(false).doc("each check also execs into the container");
    static final Key<Long> START_DELAY_MS =
            Key.integer("start_delay_ms").byDefault(0L).atLeast(0L).doc("sleep in start");
    static final Key<String> RENDEZVOUS = Key.string("rendezvous").doc("group of starts that must overlap");
    static final Key<Long> RENDEZVOUS_PARTIES =
            Key.integer("rendezvous_parties").byDefault(0L).doc("starts in the group");
    static final Key<Duration> START_TIMEOUT =
            Key.duration("start_timeout").byDefault(Duration.ofSeconds(5)).doc("wait policy timeout");
    static final Key<String> HEALTH_LOG =
            Key.string("health_log").doc("each check also needs a log line matching this");
    static final Key<String> PASSWORD = Key.secret("password").doc("a secret");
    static final Key<Map<String, String>> ENV =
            Key.table("env").byDefault(Map.of()).doc("env");
    static final Key<Long> PORT = Key.integer("port").between(1L, 65535L).doc("a container port to publish");
    static final Key<String> VOLUME = Key.string("volume").doc("a bind mount, host:container");
    static final Key<Boolean> DECLARE_VOLUME =
            Key.bool("declare_volume").byDefault(true).doc("declare the volume ahead");
    static final Key<Boolean> UNREACHABLE = Key.bool("unreachable")
            .byDefault(false)
            .doc("each check fails to connect to the service's port, as from the wrong address");
    static final Key<String> FINGERPRINT_FILE = Key.string("fingerprint_file")
            .doc("a file read at start, whose content is the reuse fingerprint (as an init script's)");
    static final Key<Boolean> REUSABLE = Key.bool("reusable")
            .byDefault(true)
            .doc("false plays a type that must not outlive a build, e.g. a fault injector");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Test double with scripted behaviour";
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(
                IMAGE,
                HEALTHY_AFTER,
                HEALTH_EXEC,
                START_DELAY_MS,
                RENDEZVOUS,
                RENDEZVOUS_PARTIES,
                START_TIMEOUT,
                HEALTH_LOG,
                PASSWORD,
                ENV,
                PORT,
                VOLUME,
                DECLARE_VOLUME,
                UNREACHABLE,
                REUSABLE,
                FINGERPRINT_FILE);
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        Optional<VolumeMount> volume = settings.find(VOLUME).map(v -> VolumeMount.parse(v, settings.baseDirectory()));
        return new Definition(
                settings.serviceName(),
                settings.get(IMAGE),
                settings.get(HEALTHY_AFTER),
                settings.get(HEALTH_EXEC),
                settings.get(START_DELAY_MS),
                settings.find(RENDEZVOUS),
                settings.get(RENDEZVOUS_PARTIES).intValue(),
                settings.get(START_TIMEOUT),
                settings.find(HEALTH_LOG).map(regex -> Pattern.compile(regex, Pattern.MULTILINE)),
                settings.find(PASSWORD),
                settings.get(ENV),
                settings.find(PORT).map(Long::intValue),
                volume,
                settings.get(DECLARE_VOLUME),
                settings.get(UNREACHABLE),
                settings.get(REUSABLE),
                settings.find(FINGERPRINT_FILE).map(settings.baseDirectory()::resolve));
    }

    /** One scripted service as read from its table. */
    record Definition(
            String name,
            String image,
            long healthyAfter,
            boolean healthExec,
            long startDelayMs,
            Optional<String> rendezvous,
            int rendezvousParties,
            Duration startTimeout,
            Optional<Pattern> healthLog,
            Optional<String> password,
            Map<String, String> env,
            Optional<Integer> port,
            Optional<VolumeMount> volume,
            boolean declareVolume,
            boolean unreachable,
            boolean reusable,
            Optional<java.nio.file.Path> fingerprintFile)
            implements ServiceDefinition {

        @Override
        public boolean reusableAcrossBuilds() {
            return reusable;
        }

        @Override
        public String reuseFingerprint() {
            return fingerprintFile
                    .map(file -> {
                        try {
                            return java.nio.file.Files.readString(file);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .orElse("");
        }

        /** The one image it starts, declared so the engine can check or pull it before any container starts. */
        @Override
        public List<String> images() {
            return List.of(image);
        }

        /**
         * Its {@code volume}, declared unless {@code declare_volume = false}, which plays a plugin
         * that leaves its mounts out (checked only when its container is created).
         */
        @Override
        public List<VolumeMount> volumes() {
            return declareVolume ? volume.stream().toList() : List.of();
        }

        @Override
        public WaitPolicy waitPolicy() {
            return WaitPolicy.of(Duration.ofMillis(10), startTimeout, 0);
        }

        @Override
        public Service create(ServiceContext context) {
            return new Scripted(this, context);
        }
    }

    /** One run of a scripted service; counts its own health checks. */
    static final class Scripted implements Service {
        private final Definition definition;
        private final ServiceContext context;
        private ServiceHandle handle;
        private int checks;

        Scripted(Definition definition, ServiceContext context) {
            this.definition = definition;
            this.context = context;
        }

        @Override
        public void start() throws CleanroomException {
            if (definition.rendezvous().isPresent()) {
                Rendezvous.await(definition.rendezvous().get(), definition.rendezvousParties());
            }
            if (definition.startDelayMs() > 0) {
                try {
                    Thread.sleep(definition.startDelayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CleanroomException(CleanroomException.Reason.INTERRUPTED, "interrupted");
                }
            }
            ContainerSpec.Builder spec =
                    ContainerSpec.builder(definition.image()).env(definition.env());
            definition.password().ifPresent(p -> spec.secretEnv("PASSWORD", p));
            definition.port().ifPresent(p -> spec.port(PortSpec.container(p)));
            definition.volume().ifPresent(spec::volume);
            ContainerInfo info = context.containers().startContainer(spec.build());
            handle = ServiceHandle.of(definition.name(), info).withEndpoint("url", "fake://" + definition.name());
        }

        /** Takes over a container an earlier run left, as generic_container does: its handle from the container. */
        @Override
        public boolean adopt(ContainerInfo existing) {
            handle = ServiceHandle.of(definition.name(), existing).withEndpoint("url", "fake://" + definition.name());
            return true;
        }

        @Override
        public HealthStatus checkHealth() throws CleanroomException {
            ContainerBackend backend = context.containers();
            if (definition.healthExec()) {
                backend.exec(handle.containerId(), ExecRequest.of(List.of("true"), Duration.ofSeconds(1)));
            }
            if (definition.healthLog().isPresent()) {
                HealthStatus logged = HealthProbes.log(
                        backend, handle.containerId(), definition.healthLog().get(), definition.startTimeout());
                if (!logged.isHealthy()) {
                    return logged;
                }
            }
            if (definition.unreachable()) {
                int port = definition.port().orElseThrow();
                return HealthStatus.unreachable(
                        handle.address(port), "TCP " + handle.address(port) + ": Connection refused");
            }
            if (definition.healthyAfter() < 0) {
                return HealthStatus.notYet("scripted to never become healthy");
            }
            checks++;
            return checks > definition.healthyAfter()
                    ? HealthStatus.ok()
                    : HealthStatus.notYet("check " + checks + " of " + (definition.healthyAfter() + 1));
        }

        @Override
        public ServiceHandle handle() {
            return handle;
        }

        @Override
        public void stop() throws CleanroomException {
            if (handle != null) {
                context.containers().stopContainer(handle.containerId());
            }
        }
    }

    /**
     * Starts of one group wait for each other. The wait is long enough for any load, and a start
     * that is not overlapped by the others fails instead of hanging. Static because the starts of
     * one group are separate services; tests give each group a name of its own.
     */
    private static final class Rendezvous {
        private static final java.util.Map<String, java.util.concurrent.CountDownLatch> GROUPS =
                new java.util.concurrent.ConcurrentHashMap<>();
        private static final Duration PATIENCE = Duration.ofSeconds(30);

        static void await(String group, int parties) throws CleanroomException {
            java.util.concurrent.CountDownLatch latch =
                    GROUPS.computeIfAbsent(group, g -> new java.util.concurrent.CountDownLatch(parties));
            latch.countDown();
            try {
                if (!latch.await(PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    throw new CleanroomException("only " + (parties - latch.getCount()) + " of " + parties
                            + " starts of group " + group + " were under way at once");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CleanroomException("interrupted");
            }
        }
    }
}
