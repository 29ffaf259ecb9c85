package dev.cleanroom.plugins.generic;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.VolumeMount;
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
 * A {@code generic_container} service's settings, read from its {@link ServiceConfig} with
 * every problem collected (so validation and start share one reading).
 */
record GenericContainerSettings(String image, Optional<List<String>> command, Optional<List<String>> entrypoint,
                                Map<String, String> env, List<PortSpec> ports, List<VolumeMount> volumes,
                                List<String> aliases, Optional<String> user, Optional<String> workdir,
                                Duration stopTimeout, boolean stdinOpen, Health health) {

    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
    static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    /** The checks that must all pass; none configured means "running is ready". */
    record Health(Optional<List<String>> command, Optional<String> httpPath, Optional<Integer> httpPort,
                  Optional<Integer> tcpPort, Optional<Pattern> log, Duration interval, Duration probeTimeout,
                  Duration startTimeout, int retries) {

        boolean none() {
            return command.isEmpty() && httpPath.isEmpty() && tcpPort.isEmpty() && log.isEmpty();
        }
    }

    static GenericContainerSettings read(ServiceConfig config, List<ConfigProblem> problems) {
        String image = config.string("image", "");
        if (config.has("image") && !isImageReference(image)) {
            problems.add(config.problem("image", "\"" + shorten(image) + "\" is not a valid image reference",
                    "write name[:tag] in lower case, e.g. image = \"alpine:3.20\""));
        }
        List<PortSpec> ports = readPorts(config, problems);
        List<VolumeMount> volumes = readVolumes(config, problems);
        for (String alias : config.stringList("aliases")) {
            if (!alias.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
                problems.add(config.problem("aliases", "\"" + alias + "\" is not a valid network alias",
                        "use letters, digits, '_', '-' or '.'"));
            }
        }
        Health health = readHealth(config, ports, problems);
        return new GenericContainerSettings(image, optionalList(config, "command", problems),
                optionalList(config, "entrypoint", problems), config.stringMap("env"), ports, volumes,
                config.stringList("aliases"), config.string("user"), config.string("workdir"),
                config.duration("stop_timeout", Duration.ZERO), config.bool("stdin_open", true), health);
    }

    /** name[:tag][@digest], the name in lower case as Docker requires, at most 255 characters. */
    static boolean isImageReference(String image) {
        if (image.length() > 255) {
            return false;
        }
        String rest = image.replaceFirst("@sha256:[a-f0-9]{64}$", "");
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        String name = colon > slash ? rest.substring(0, colon) : rest;
        String tag = colon > slash ? rest.substring(colon + 1) : "latest";
        return name.matches("[a-z0-9]+(?:(?:[._-]|__|[-]*)[a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._-]|__|[-]*)[a-z0-9]+)*)*")
                && tag.matches("[\\w][\\w.-]{0,127}");
    }

    static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static Optional<List<String>> optionalList(ServiceConfig config, String key, List<ConfigProblem> problems) {
        if (!config.has(key)) {
            return Optional.empty();
        }
        if (config.stringList(key).isEmpty()) {
            problems.add(config.problem(key, "must not be empty", "remove it to keep the image's default, or write "
                    + key + " = [\"program\", \"arg\"]"));
        }
        return Optional.of(config.stringList(key));
    }

    private static List<PortSpec> readPorts(ServiceConfig config, List<ConfigProblem> problems) {
        List<PortSpec> ports = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String text : config.stringList("ports")) {
            try {
                PortSpec port = PortSpec.parse(text);
                if (!seen.add(port.containerPort() + "/" + port.protocol())) {
                    problems.add(config.problem("ports", "container port " + port.containerPort() + " is published twice",
                            "publish each container port once"));
                }
                ports.add(port);
            } catch (IllegalArgumentException e) {
                problems.add(config.problem("ports", e.getMessage(), ""));
            }
        }
        return ports;
    }

    private static List<VolumeMount> readVolumes(ServiceConfig config, List<ConfigProblem> problems) {
        List<VolumeMount> volumes = new ArrayList<>();
        for (String text : config.stringList("volumes")) {
            try {
                VolumeMount volume = VolumeMount.parse(text, config.baseDirectory());
                if (!Files.exists(volume.hostPath())) {
                    problems.add(config.problem("volumes", "host path " + volume.hostPath() + " (from \"" + text
                            + "\") does not exist", "create it, or fix the path; relative paths start at "
                            + config.baseDirectory()));
                }
                volumes.add(volume);
            } catch (IllegalArgumentException e) {
                problems.add(config.problem("volumes", e.getMessage(), ""));
            }
        }
        return volumes;
    }

    private static Health readHealth(ServiceConfig config, List<PortSpec> ports, List<ConfigProblem> problems) {
        Optional<Integer> httpPort = Optional.empty();
        Optional<String> httpPath = config.string("health.http");
        if (httpPath.isPresent()) {
            if (!httpPath.get().startsWith("/")) {
                problems.add(config.problem("health.http", "\"" + httpPath.get() + "\" is not a path",
                        "write the path of the URL, e.g. health.http = \"/health\""));
            }
            httpPort = port(config, "health.port", ports, problems);
        }
        Optional<Long> tcp = config.integer("health.tcp");
        tcp.filter(p -> p < 1 || p > 65535).ifPresent(p -> problems.add(config.problem("health.tcp",
                "port " + p + " is outside 1..65535", "write the container port, e.g. health.tcp = 5432")));
        Optional<Integer> tcpPort = tcp.filter(p -> p >= 1 && p <= 65535).map(Long::intValue);
        Optional<Pattern> log = Optional.empty();
        Optional<String> regex = config.string("health.log");
        if (regex.isPresent()) {
            try {
                log = Optional.of(Pattern.compile(regex.get(), Pattern.MULTILINE));
            } catch (PatternSyntaxException e) {
                problems.add(config.problem("health.log", "invalid regular expression: " + e.getDescription(),
                        "escape special characters, or use a '...' literal string"));
            }
        }
        if (config.has("health.command") && config.stringList("health.command").isEmpty()) {
            problems.add(config.problem("health.command", "must not be empty", "write health.command = [\"test\", \"-f\", \"/ready\"]"));
        }
        long retries = config.integer("health.retries", 0);
        if (retries < 0 || retries > 1_000_000) {
            problems.add(config.problem("health.retries", retries + " is outside 0..1000000",
                    "0 means: keep checking until health.start_timeout"));
        }
        Duration probeTimeout = config.duration("health.timeout", DEFAULT_PROBE_TIMEOUT);
        if (probeTimeout.isZero()) {
            // 0 would mean "wait forever" to sockets and HTTP connections.
            problems.add(config.problem("health.timeout", "must be more than 0", "write e.g. health.timeout = \"2s\""));
        }
        Duration interval = config.duration("health.interval", DEFAULT_INTERVAL);
        if (interval.isZero()) {
            problems.add(config.problem("health.interval", "must be more than 0", "write e.g. health.interval = \"200ms\""));
        }
        return new Health(config.has("health.command") ? Optional.of(config.stringList("health.command")) : Optional.empty(),
                httpPath, httpPort, tcpPort, log, interval.isZero() ? DEFAULT_INTERVAL : interval,
                probeTimeout.isZero() ? DEFAULT_PROBE_TIMEOUT : probeTimeout,
                config.duration("health.start_timeout", DEFAULT_START_TIMEOUT), (int) Math.max(0, Math.min(retries, 1_000_000)));
    }

    /** The port an HTTP check goes to: health.port, else the first published port. */
    private static Optional<Integer> port(ServiceConfig config, String key, List<PortSpec> ports,
                                          List<ConfigProblem> problems) {
        Optional<Long> explicit = config.integer(key);
        if (explicit.isPresent()) {
            if (explicit.get() < 1 || explicit.get() > 65535) {
                problems.add(config.problem(key, "port " + explicit.get() + " is outside 1..65535", "write the container port"));
                return Optional.empty();
            }
            return Optional.of(explicit.get().intValue());
        }
        if (ports.isEmpty()) {
            problems.add(config.problem("health.http", "no port to check", "add health.port = <container port>, "
                    + "or publish one with ports = [\"8080\"]"));
            return Optional.empty();
        }
        return Optional.of(ports.get(0).containerPort());
    }
}
