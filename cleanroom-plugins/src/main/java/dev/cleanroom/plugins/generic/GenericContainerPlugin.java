package dev.cleanroom.plugins.generic;

import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code generic_container}: any image, with env, ports, volumes, command and a health check.
 * The keys are declared here; {@link GenericContainerSettings} reads them once per service and
 * {@link GenericContainer} runs one service for one run.
 */
public final class GenericContainerPlugin implements ServicePlugin {

    public static final String TYPE = "generic_container";

    static final Key<String> IMAGE =
            Key.string("image").required().doc("Image reference, e.g. \"alpine:3.20\"; pulled when not present");
    static final Key<List<String>> COMMAND =
            Key.strings("command").defaultDescribedAs("image default").doc("Replaces the image's CMD; an argv list");
    static final Key<List<String>> ENTRYPOINT =
            Key.strings("entrypoint").defaultDescribedAs("image default").doc("Replaces the image's ENTRYPOINT");
    static final Key<Map<String, String>> ENV = Key.table("env").doc("Environment variables: env.NAME = \"value\"");
    static final Key<List<String>> PORTS = Key.strings("ports")
            .doc("\"8080\" (random host port), \"18080:8080\", or \"0.0.0.0:18080:8080\"; published on 127.0.0.1 "
                    + "unless an address is given");
    static final Key<List<String>> VOLUMES = Key.strings("volumes")
            .doc("\"host/path:/container/path[:ro]\"; host paths are relative to the TOML file and must exist");
    static final Key<List<String>> ALIASES =
            Key.strings("aliases").doc("More names on the run's network besides the service name");
    static final Key<String> USER = Key.string("user")
            .defaultDescribedAs("image default")
            .doc("User (name or uid[:gid]) the container runs as");
    static final Key<String> WORKDIR =
            Key.string("workdir").defaultDescribedAs("image default").doc("Working directory of the container");
    static final Key<Boolean> STDIN_OPEN = Key.bool("stdin_open")
            .byDefault(true)
            .doc("Keep stdin open, as docker run -i, so an image whose command is a shell (alpine's) stays up for "
                    + "the steps; false gives it end of input at once");
    static final Key<Duration> STOP_TIMEOUT = Key.duration("stop_timeout")
            .byDefault(Duration.ZERO)
            .doc("Grace period after SIGTERM before SIGKILL at stop; 0s removes at once (test data is thrown away "
                    + "anyway)");
    static final Key<List<String>> HEALTH_COMMAND =
            Key.strings("health.command").doc("Ready when this argv exits 0 inside the container");
    static final Key<String> HEALTH_HTTP = Key.string("health.http").doc("Ready when GET of this path answers 2xx/3xx");
    static final Key<Long> HEALTH_PORT = Key.integer("health.port")
            .between(1L, 65535L)
            .defaultDescribedAs("first of ports")
            .doc("Container port for health.http");
    static final Key<Long> HEALTH_TCP =
            Key.integer("health.tcp").between(1L, 65535L).doc("Ready when this container port accepts connections");
    static final Key<String> HEALTH_LOG = Key.string("health.log")
            .doc("Ready when a line of the container's output, from its start, matches this regex; a match still "
                    + "running at health.start_timeout fails the start");
    // An interval or timeout of 0 would mean "check without pause" and, to sockets, "wait forever".
    static final Key<Duration> HEALTH_INTERVAL = Key.duration("health.interval")
            .atLeast(Duration.ofMillis(1))
            .byDefault(Duration.ofMillis(100))
            .doc("Time between checks");
    static final Key<Duration> HEALTH_TIMEOUT = Key.duration("health.timeout")
            .atLeast(Duration.ofMillis(1))
            .byDefault(Duration.ofSeconds(2))
            .doc("Time one check may take");
    static final Key<Duration> HEALTH_START_TIMEOUT = Key.duration("health.start_timeout")
            .byDefault(Duration.ofSeconds(60))
            .doc("Time the service has to become ready");
    static final Key<Long> HEALTH_RETRIES = Key.integer("health.retries")
            .between(0L, 1_000_000L)
            .byDefault(0L)
            .doc("Failed checks in a row that fail the start; 0 = keep checking until health.start_timeout");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Generic Docker container support";
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(
                IMAGE,
                COMMAND,
                ENTRYPOINT,
                ENV,
                PORTS,
                VOLUMES,
                ALIASES,
                USER,
                WORKDIR,
                STDIN_OPEN,
                STOP_TIMEOUT,
                HEALTH_COMMAND,
                HEALTH_HTTP,
                HEALTH_PORT,
                HEALTH_TCP,
                HEALTH_LOG,
                HEALTH_INTERVAL,
                HEALTH_TIMEOUT,
                HEALTH_START_TIMEOUT,
                HEALTH_RETRIES);
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        return GenericContainerSettings.read(settings);
    }
}
