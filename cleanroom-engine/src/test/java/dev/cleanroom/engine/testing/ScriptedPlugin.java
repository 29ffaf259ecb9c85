package dev.cleanroom.engine.testing;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.config.ConfigSchema;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.HealthProbes;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.WaitPolicy;
import java.time.Duration;
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

    @Override
    public String serviceType() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Test double with scripted behaviour";
    }

    @Override
    public ConfigSchema configSchema() {
        return ConfigSchema.of(
                ConfigKey.required("image", ValueType.STRING, "image"),
                ConfigKey.optional("healthy_after", ValueType.INTEGER, "0", "checks before healthy; <0 never"),
                ConfigKey.optional("health_exec", ValueType.BOOLEAN, "false", "each check also execs into the container"),
                ConfigKey.optional("start_delay_ms", ValueType.INTEGER, "0", "sleep in start"),
                ConfigKey.optional("rendezvous", ValueType.STRING, "", "group of starts that must overlap"),
                ConfigKey.optional("rendezvous_parties", ValueType.INTEGER, "0", "starts in the group"),
                ConfigKey.optional("start_timeout", ValueType.DURATION, "5s", "wait policy timeout"),
                ConfigKey.optional("health_log", ValueType.STRING, "", "each check also needs a log line matching this"),
                ConfigKey.secret("password", "a secret"),
                ConfigKey.optional("env", ValueType.STRING_MAP, "", "env"),
                ConfigKey.optional("port", ValueType.INTEGER, "0", "a container port to publish"),
                ConfigKey.optional("volume", ValueType.STRING, "", "a bind mount, host:container"),
                ConfigKey.optional("declare_volume", ValueType.BOOLEAN, "true", "declare the volume ahead"),
                ConfigKey.optional("unreachable", ValueType.BOOLEAN, "false",
                        "each check fails to connect to the service's port, as from the wrong address"));
    }

    /** The one image it starts, declared so the engine can check or pull it before any container starts. */
    public java.util.List<String> images(ServiceConfig config) {
        return java.util.List.of(config.string("image", ""));
    }

    /**
     * Its {@code volume}, declared unless {@code declare_volume = false}, which plays a plugin
     * that leaves its mounts out (checked only when its container is created).
     */
    @Override
    public java.util.List<dev.cleanroom.engine.spi.VolumeMount> volumes(ServiceConfig config) {
        if (!config.bool("declare_volume", true)) {
            return java.util.List.of();
        }
        return config.string("volume").map(v -> java.util.List.of(dev.cleanroom.engine.spi.VolumeMount.parse(v,
                config.baseDirectory()))).orElse(java.util.List.of());
    }

    @Override
    public WaitPolicy waitPolicy(ServiceConfig config) {
        return new WaitPolicy(Duration.ofMillis(10), config.duration("start_timeout", Duration.ofSeconds(5)), 0);
    }

    @Override
    public ServiceHandle start(ServiceConfig config, ContainerBackend backend) throws CleanroomException {
        if (config.string("rendezvous").isPresent()) {
            Rendezvous.await(config.string("rendezvous").get(), (int) config.integer("rendezvous_parties", 0));
        }
        long delay = config.integer("start_delay_ms", 0);
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CleanroomException("interrupted");
            }
        }
        ContainerSpec.Builder spec = ContainerSpec.builder(config.string("image", "")).env(config.stringMap("env"));
        config.string("password").ifPresent(p -> spec.secretEnv("PASSWORD", p));
        config.integer("port").ifPresent(p -> spec.port(dev.cleanroom.engine.spi.PortSpec.container(p.intValue())));
        config.string("volume").ifPresent(v -> spec.volume(dev.cleanroom.engine.spi.VolumeMount.parse(v,
                config.baseDirectory())));
        ContainerInfo info = backend.startContainer(spec.build());
        return ServiceHandle.of(config.name(), info).withEndpoint("url", "fake://" + config.name());
    }

    @Override
    public HealthStatus healthCheck(ServiceHandle handle, ServiceConfig config, ContainerBackend backend)
            throws CleanroomException {
        if (config.bool("health_exec", false)) {
            backend.exec(handle.containerId(), dev.cleanroom.engine.spi.ExecRequest.of(java.util.List.of("true"),
                    Duration.ofSeconds(1)));
        }
        if (config.string("health_log").isPresent()) {
            HealthStatus logged = HealthProbes.log(backend, handle.containerId(),
                    Pattern.compile(config.string("health_log").get(), Pattern.MULTILINE),
                    config.duration("start_timeout", Duration.ofSeconds(5)));
            if (!logged.isHealthy()) {
                return logged;
            }
        }
        if (config.bool("unreachable", false)) {
            int port = config.integer("port").orElseThrow().intValue();
            return HealthStatus.unreachable(handle.address(port), "TCP " + handle.address(port)
                    + ": Connection refused");
        }
        long after = config.integer("healthy_after", 0);
        if (after < 0) {
            return HealthStatus.notYet("scripted to never become healthy");
        }
        int checks = Checks.increment(System.identityHashCode(backend) + "/" + handle.containerId());
        return checks > after ? HealthStatus.ok() : HealthStatus.notYet("check " + checks + " of " + (after + 1));
    }

    /** Counts checks per container; plugins keep no state, so the double keeps it aside. */
    private static final class Checks {
        private static final java.util.Map<String, Integer> COUNTS = new java.util.concurrent.ConcurrentHashMap<>();

        static int increment(String key) {
            return COUNTS.merge(key, 1, Integer::sum);
        }
    }

    /**
     * Starts of one group wait for each other. The wait is long enough for any load, and a start
     * that is not overlapped by the others fails instead of hanging.
     */
    private static final class Rendezvous {
        private static final java.util.Map<String, java.util.concurrent.CountDownLatch> GROUPS =
                new java.util.concurrent.ConcurrentHashMap<>();
        private static final Duration PATIENCE = Duration.ofSeconds(30);

        static void await(String group, int parties) throws CleanroomException {
            java.util.concurrent.CountDownLatch latch = GROUPS.computeIfAbsent(group,
                    g -> new java.util.concurrent.CountDownLatch(parties));
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
