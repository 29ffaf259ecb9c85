package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.DockerUnavailableException;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.Durations;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Finds the Docker daemon where the docker CLI, Testcontainers and the desktop tools put it, in
 * this order (site/markdown/docker.md documents it):
 *
 * <ol>
 *   <li>DOCKER_HOST (environment, else system property), as the docker CLI. Testcontainers puts
 *       its {@code tc.host} first; we do not, because DOCKER_HOST is what the user chose for this
 *       shell, while ~/.testcontainers.properties is a machine-wide default written once.</li>
 *   <li>~/.testcontainers.properties: {@code tc.host}, else {@code docker.host} (the order
 *       Testcontainers gives them), so teams that set it up for Testcontainers need nothing more.</li>
 *   <li>The current docker context (DOCKER_CONTEXT, else {@code currentContext} in config.json).</li>
 *   <li>The first of the well-known sockets that exists and answers {@code /_ping}: the default
 *       /var/run/docker.sock, then Docker Desktop, rootless Docker, Colima, OrbStack, Rancher
 *       Desktop and Podman.</li>
 * </ol>
 *
 * <p>What the user named (1-3) is taken as said, without asking it first: a daemon that does not
 * answer there is an error naming that setting, not a reason to use another daemon silently.
 */
public final class DaemonDiscovery {

    private static final String PREFIX = "Docker daemon: ";

    /**
     * What discovery reads, injectable so tests use a temporary home, runtime directory and root.
     *
     * @param env environment variables
     * @param systemProperties consulted after the environment, as docker-java does
     * @param root where absolute system paths (/var/run/docker.sock, /run/podman) start: "/"
     */
    public record Environment(
            Map<String, String> env, Map<String, String> systemProperties, Path home, Path root, OptionalLong uid) {

        public static Environment current() {
            Map<String, String> properties = System.getProperties().stringPropertyNames().stream()
                    .collect(Collectors.toMap(name -> name, System::getProperty));
            return new Environment(
                    System.getenv(), properties, Path.of(System.getProperty("user.home")), Path.of("/"), currentUid());
        }

        /** An environment variable, else the system property of the same name; blank counts as unset. */
        public Optional<String> setting(String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                value = systemProperties.get(name);
            }
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        private static OptionalLong currentUid() {
            try {
                return OptionalLong.of(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue());
            } catch (IOException | RuntimeException e) {
                return OptionalLong.empty(); // not Linux: no /run/user/<uid> to look in
            }
        }
    }

    private record Candidate(Path socket, String source) {
        URI uri() {
            return URI.create("unix://" + socket);
        }
    }

    private final Environment environment;
    private final EngineLog log;
    private final DockerContextEndpoint contexts;

    public DaemonDiscovery(Environment environment, EngineLog log) {
        this.environment = environment;
        this.log = log;
        this.contexts = new DockerContextEndpoint(environment);
    }

    public DaemonEndpoint find() throws DockerUnavailableException {
        Optional<DaemonEndpoint> named = fromDockerHost();
        if (named.isEmpty()) {
            named = fromTestcontainersProperties();
        }
        if (named.isEmpty()) {
            named = fromDockerContext();
        }
        if (named.isPresent()) {
            log.debug(PREFIX + "using " + named.get().uri() + " (" + named.get().source() + ")");
            return named.get();
        }
        return firstSocketThatAnswers();
    }

    private Optional<DaemonEndpoint> fromDockerHost() throws DockerUnavailableException {
        Optional<String> value = environment.setting("DOCKER_HOST");
        if (value.isEmpty()) {
            log.debug(PREFIX + "DOCKER_HOST is not set");
            return Optional.empty();
        }
        URI uri = address("DOCKER_HOST", value.get(), "");
        boolean tls = environment
                .setting("DOCKER_TLS_VERIFY")
                .filter(DaemonDiscovery::truthy)
                .isPresent();
        Optional<Path> certs = tls
                ? Optional.of(
                        environment.setting("DOCKER_CERT_PATH").map(Path::of).orElse(contexts.configDirectory()))
                : Optional.empty();
        return Optional.of(new DaemonEndpoint(uri, "DOCKER_HOST", certs));
    }

    private Optional<DaemonEndpoint> fromTestcontainersProperties() throws DockerUnavailableException {
        Path file = environment.home().resolve(".testcontainers.properties");
        if (!Files.isRegularFile(file)) {
            log.debug(PREFIX + file + " does not exist");
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            log.debug(PREFIX + file + " cannot be read (" + e.getMessage() + ")");
            return Optional.empty();
        }
        for (String key : List.of("tc.host", "docker.host")) {
            String value = properties.getProperty(key, "").trim();
            if (!value.isEmpty()) {
                URI uri = address(key, value, " in " + file);
                String source = "~/.testcontainers.properties (" + key + ")";
                boolean tls = key.equals("docker.host") && truthy(properties.getProperty("docker.tls.verify", ""));
                Optional<Path> certs = tls
                        ? Optional.of(Optional.ofNullable(properties.getProperty("docker.cert.path"))
                                .map(Path::of)
                                .orElse(contexts.configDirectory()))
                        : Optional.empty();
                return Optional.of(new DaemonEndpoint(uri, source, certs));
            }
        }
        log.debug(PREFIX + file + " sets neither tc.host nor docker.host");
        return Optional.empty();
    }

    private Optional<DaemonEndpoint> fromDockerContext() throws DockerUnavailableException {
        DockerContextEndpoint.Choice choice = contexts.choice();
        if (choice.name().isEmpty()) {
            log.debug(PREFIX + "no docker context chosen (" + choice.where() + ")");
            return Optional.empty();
        }
        return Optional.of(contexts.endpoint(choice.name().get(), choice.where()));
    }

    private DaemonEndpoint firstSocketThatAnswers() throws DockerUnavailableException {
        List<String> silent = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Candidate candidate : candidates()) {
            if (!Files.exists(candidate.socket())) {
                log.debug(PREFIX + "skipped " + candidate.uri() + " (" + candidate.source() + "): no such socket");
                missing.add(candidate.socket().toString());
                continue;
            }
            Optional<String> silence = ping(candidate.uri());
            if (silence.isEmpty()) {
                log.debug(PREFIX + "using " + candidate.uri() + " (" + candidate.source() + ")");
                return DaemonEndpoint.plain(candidate.uri(), candidate.source());
            }
            log.debug(PREFIX + "skipped " + candidate.uri() + " (" + candidate.source() + "): " + silence.get());
            silent.add(candidate.uri() + " " + silence.get());
        }
        throw new DockerUnavailableException(nobodyAnswers(silent, missing), null);
    }

    private static String nobodyAnswers(List<String> silent, List<String> missing) {
        StringBuilder message =
                new StringBuilder("No Docker daemon answers where Cleanroom looked: neither DOCKER_HOST, "
                        + "~/.testcontainers.properties (tc.host, docker.host) nor a docker context names one");
        silent.forEach(line -> message.append("; ").append(line));
        if (!missing.isEmpty()) {
            message.append("; none of these sockets exists: ").append(String.join(", ", missing));
        }
        return message.append(". Perhaps you should start a daemon (sudo systemctl start docker, or run dockerd), or "
                        + "point Cleanroom at yours with DOCKER_HOST (e.g. DOCKER_HOST=unix:///run/podman/podman.sock), a "
                        + "docker context (docker context use NAME) or docker.host in ~/.testcontainers.properties.")
                .toString();
    }

    /** The well-known sockets, in the order they are tried: the standard one, then by how common. */
    private List<Candidate> candidates() {
        Path home = environment.home();
        Path root = environment.root();
        Optional<Path> runtime = environment.setting("XDG_RUNTIME_DIR").map(Path::of);
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(new Candidate(root.resolve("var/run/docker.sock"), "the default socket"));
        candidates.add(new Candidate(home.resolve(".docker/run/docker.sock"), "Docker Desktop"));
        candidates.add(new Candidate(home.resolve(".docker/desktop/docker.sock"), "Docker Desktop"));
        runtime.ifPresent(dir -> candidates.add(new Candidate(dir.resolve("docker.sock"), "rootless Docker")));
        environment
                .uid()
                .ifPresent(uid -> candidates.add(
                        new Candidate(root.resolve("run/user/" + uid + "/docker.sock"), "rootless Docker")));
        candidates.addAll(colimaProfiles(home.resolve(".colima")));
        candidates.add(new Candidate(home.resolve(".orbstack/run/docker.sock"), "OrbStack"));
        candidates.add(new Candidate(home.resolve(".rd/docker.sock"), "Rancher Desktop"));
        runtime.ifPresent(dir -> candidates.add(new Candidate(dir.resolve("podman/podman.sock"), "rootless Podman")));
        candidates.add(new Candidate(root.resolve("run/podman/podman.sock"), "Podman"));
        return candidates;
    }

    /** Colima's default profile first, then any other profile that has a socket. */
    private static List<Candidate> colimaProfiles(Path colima) {
        List<Candidate> profiles = new ArrayList<>();
        profiles.add(new Candidate(colima.resolve("default/docker.sock"), "Colima (profile default)"));
        if (Files.isDirectory(colima)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(colima, Files::isDirectory)) {
                List<Path> others = new ArrayList<>();
                dirs.forEach(others::add);
                others.stream()
                        .sorted()
                        .filter(dir -> !dir.getFileName().toString().equals("default"))
                        .filter(dir -> Files.exists(dir.resolve("docker.sock")))
                        .forEach(dir -> profiles.add(new Candidate(
                                dir.resolve("docker.sock"), "Colima (profile " + dir.getFileName() + ")")));
            } catch (IOException e) {
                // An unreadable ~/.colima: its default profile is still tried.
            }
        }
        return profiles;
    }

    /** Empty when a daemon answers {@code /_ping} there, else why not. Bounded by the ping's timeout. */
    private static Optional<String> ping(URI socket) {
        try (DockerTransport transport = SocketTransport.to(socket);
                DockerTransport.Exchange answer =
                        transport.exchange("GET", "/_ping", Map.of(), null, DockerTimeouts.PING)) {
            return answer.status() == 200
                    ? Optional.empty()
                    : Optional.of("answers /_ping with HTTP " + answer.status());
        } catch (DockerTimeoutException e) {
            return Optional.of(
                    "accepts connections but does not answer /_ping within " + Durations.format(DockerTimeouts.PING));
        } catch (IOException | RuntimeException e) {
            return Optional.of("does not answer /_ping (" + DockerConnector.rootMessage(e) + ")");
        }
    }

    private static boolean truthy(String value) {
        return !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    /**
     * A daemon address as a URI. {@code unix://} alone is a likely slip (the path left out); Java's
     * own words for it ("Expected authority at index 7") would not tell the user what is wrong.
     *
     * @param where where the setting was read, e.g. " in /home/me/.testcontainers.properties"; empty for
     *     an environment variable
     */
    static URI address(String key, String value, String where) throws DockerUnavailableException {
        if (value.startsWith("unix://") && value.substring("unix://".length()).isBlank()) {
            throw new DockerUnavailableException(
                    key + "=" + value + where + " names no socket path. Perhaps you should " + "write " + key
                            + "=unix:///var/run/docker.sock (or the path of your daemon's socket).",
                    null);
        }
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new DockerUnavailableException(
                    key + "=" + value + where + " is not an address (" + e.getMessage()
                            + "). Perhaps you should write it as unix:///path/to/docker.sock or tcp://host:2375.",
                    e);
        }
    }
}
