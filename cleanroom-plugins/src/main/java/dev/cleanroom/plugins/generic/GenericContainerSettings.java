package dev.cleanroom.plugins.generic;

import static dev.cleanroom.plugins.generic.GenericContainerPlugin.ALIASES;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.COMMAND;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.ENTRYPOINT;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.ENV;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.HEALTH_COMMAND;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.HEALTH_HTTP;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.HEALTH_INTERVAL;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.HEALTH_LOG;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.HEALTH_PORT;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.HEALTH_RETRIES;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.HEALTH_START_TIMEOUT;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.HEALTH_TCP;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.HEALTH_TIMEOUT;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.IMAGE;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.PORTS;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.STDIN_OPEN;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.STOP_TIMEOUT;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.USER;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.VOLUMES;
import static dev.cleanroom.plugins.generic.GenericContainerPlugin.WORKDIR;

import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import dev.cleanroom.plugins.container.ImageReference;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code generic_container} service as read from its table, once, before anything starts:
 * every check the keys cannot express (formats, files, combinations) is made here, and health
 * checks are configured here rather than on each poll.
 */
record GenericContainerSettings(
        String image,
        Optional<List<String>> command,
        Optional<List<String>> entrypoint,
        Map<String, String> env,
        List<PortSpec> ports,
        List<VolumeMount> volumes,
        List<String> aliases,
        Optional<String> user,
        Optional<String> workdir,
        Duration stopTimeout,
        boolean stdinOpen,
        Health health)
        implements ServiceDefinition {

    /** The checks that must all pass; none configured means "running is ready". */
    record Health(
            Optional<List<String>> command,
            Optional<String> httpPath,
            Optional<Integer> httpPort,
            Optional<Integer> tcpPort,
            Optional<Pattern> log,
            Duration interval,
            Duration probeTimeout,
            Duration startTimeout,
            int retries) {

        boolean none() {
            return command.isEmpty() && httpPath.isEmpty() && tcpPort.isEmpty() && log.isEmpty();
        }
    }

    static GenericContainerSettings read(Settings settings) {
        String image = settings.get(IMAGE);
        if (settings.has(IMAGE) && !ImageReference.isValid(image)) {
            settings.problem(
                    IMAGE,
                    "\"" + shorten(image) + "\" is not a valid image reference",
                    "write name[:tag] in lower case, e.g. image = \"alpine:3.20\"");
        }
        List<PortSpec> ports = readPorts(settings);
        List<String> aliases = settings.find(ALIASES).orElse(List.of());
        for (String alias : aliases) {
            if (!alias.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
                settings.problem(
                        ALIASES,
                        "\"" + alias + "\" is not a valid network alias",
                        "use letters, digits, '_', '-' or '.'");
            }
        }
        return new GenericContainerSettings(
                image,
                argv(
                        settings,
                        COMMAND,
                        "remove it to keep the image's default, " + "or write command = [\"program\", \"arg\"]"),
                argv(
                        settings,
                        ENTRYPOINT,
                        "remove it to keep the " + "image's default, or write entrypoint = [\"program\", \"arg\"]"),
                settings.find(ENV).orElse(Map.of()),
                ports,
                readVolumes(settings),
                aliases,
                settings.find(USER),
                settings.find(WORKDIR),
                settings.get(STOP_TIMEOUT),
                settings.get(STDIN_OPEN),
                readHealth(settings, ports));
    }

    @Override
    public List<String> images() {
        return List.of(image);
    }

    @Override
    public WaitPolicy waitPolicy() {
        return WaitPolicy.of(health.interval(), health.startTimeout(), health.retries());
    }

    @Override
    public Service create(ServiceContext context) {
        return new GenericContainer(this, context);
    }

    /** The container to start; a port that is only checked, not declared, is still published (on loopback). */
    ContainerSpec containerSpec() {
        ContainerSpec.Builder spec = ContainerSpec.builder(image)
                .env(env)
                .ports(ports)
                .volumes(volumes)
                .aliases(aliases)
                .stopTimeout(stopTimeout)
                .openStdin(stdinOpen);
        command.ifPresent(spec::command);
        entrypoint.ifPresent(spec::entrypoint);
        user.ifPresent(spec::user);
        workdir.ifPresent(spec::workdir);
        List<Integer> published = ports.stream().map(PortSpec::containerPort).toList();
        health.httpPort().filter(p -> !published.contains(p)).ifPresent(p -> spec.port(PortSpec.container(p)));
        health.tcpPort()
                .filter(p ->
                        !published.contains(p) && !p.equals(health.httpPort().orElse(-1)))
                .ifPresent(p -> spec.port(PortSpec.container(p)));
        return spec.build();
    }

    static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    /** An argv that replaces the image's: absent keeps the image's, empty is refused. */
    private static Optional<List<String>> argv(Settings settings, Key<List<String>> key, String fix) {
        Optional<List<String>> argv = settings.find(key);
        if (argv.isPresent() && argv.get().isEmpty()) {
            settings.problem(key, "must not be empty", fix);
        }
        return argv;
    }

    private static List<PortSpec> readPorts(Settings settings) {
        List<PortSpec> ports = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String text : settings.find(PORTS).orElse(List.of())) {
            try {
                PortSpec port = PortSpec.parse(text);
                if (!seen.add(port.containerPort() + "/" + port.protocol())) {
                    settings.problem(
                            PORTS,
                            "container port " + port.containerPort() + " is published twice",
                            "publish each container port once");
                }
                ports.add(port);
            } catch (IllegalArgumentException e) {
                settings.problem(PORTS, e.getMessage(), "");
            }
        }
        return List.copyOf(ports);
    }

    private static List<VolumeMount> readVolumes(Settings settings) {
        List<VolumeMount> volumes = new ArrayList<>();
        for (String text : settings.find(VOLUMES).orElse(List.of())) {
            try {
                VolumeMount volume = VolumeMount.parse(text, settings.baseDirectory());
                if (!Files.exists(volume.hostPath())) {
                    settings.problem(
                            VOLUMES,
                            "host path " + volume.hostPath() + " (from \"" + text + "\") does not " + "exist",
                            "create it, or fix the path; relative paths start at " + settings.baseDirectory());
                }
                volumes.add(volume);
            } catch (IllegalArgumentException e) {
                settings.problem(VOLUMES, e.getMessage(), "");
            }
        }
        return List.copyOf(volumes);
    }

    private static Health readHealth(Settings settings, List<PortSpec> ports) {
        Optional<String> httpPath = settings.find(HEALTH_HTTP);
        Optional<Integer> httpPort = Optional.empty();
        if (httpPath.isPresent()) {
            if (!httpPath.get().startsWith("/")) {
                settings.problem(
                        HEALTH_HTTP,
                        "\"" + httpPath.get() + "\" is not a path",
                        "write the path of the URL, e.g. health.http = \"/health\"");
            }
            // health.port, else the first published port; a health.port out of range is reported by its key.
            httpPort = settings.find(HEALTH_PORT)
                    .map(Long::intValue)
                    .or(() -> ports.stream().findFirst().map(PortSpec::containerPort));
            if (httpPort.isEmpty() && !settings.has(HEALTH_PORT)) {
                settings.problem(
                        HEALTH_HTTP,
                        "no port to check",
                        "add health.port = <container port>, " + "or publish one with ports = [\"8080\"]");
            }
        }
        Optional<Pattern> log = Optional.empty();
        Optional<String> regex = settings.find(HEALTH_LOG);
        if (regex.isPresent()) {
            try {
                log = Optional.of(Pattern.compile(regex.get(), Pattern.MULTILINE));
            } catch (PatternSyntaxException e) {
                settings.problem(
                        HEALTH_LOG,
                        "invalid regular expression: " + e.getDescription(),
                        "escape special characters, or use a '...' literal string");
            }
        }
        Optional<List<String>> command = settings.find(HEALTH_COMMAND);
        if (command.isPresent() && command.get().isEmpty()) {
            settings.problem(
                    HEALTH_COMMAND, "must not be empty", "write health.command = [\"test\", \"-f\", \"/ready\"]");
        }
        return new Health(
                command,
                httpPath,
                httpPort,
                settings.find(HEALTH_TCP).map(Long::intValue),
                log,
                settings.get(HEALTH_INTERVAL),
                settings.get(HEALTH_TIMEOUT),
                settings.get(HEALTH_START_TIMEOUT),
                settings.get(HEALTH_RETRIES).intValue());
    }
}
