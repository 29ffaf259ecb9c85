package dev.cleanroom.engine.internal;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import dev.cleanroom.engine.api.DockerUnavailableException;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.internal.docker.DockerApi;
import dev.cleanroom.engine.internal.docker.DockerJavaTransport;
import dev.cleanroom.engine.internal.docker.DockerTimeoutException;
import dev.cleanroom.engine.internal.docker.DockerTimeouts;
import dev.cleanroom.engine.internal.docker.DockerTransport;
import dev.cleanroom.engine.internal.docker.SocketTransport;
import dev.cleanroom.engine.spi.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Connects to the Docker daemon the way the docker CLI would find it (DOCKER_HOST, else the
 * local socket) and agrees on an API version with it.
 *
 * <p>Why negotiate: a fixed version is always wrong somewhere. Debian's Docker 20.10 refuses
 * anything above 1.41, while Docker 29 refuses anything below 1.44. So we ask the daemon's
 * unversioned {@code /_ping} endpoint and use the lower of its version and the newest our
 * client knows. A user who sets DOCKER_API_VERSION (or {@code api.version}) keeps their choice.
 */
public final class DockerConnector {

    /** The newest Engine API version this client speaks (Docker 25); Docker 29 accepts nothing older. */
    static final String NEWEST_SUPPORTED = "1.44";

    static final URI DEFAULT_SOCKET = URI.create("unix:///var/run/docker.sock");

    /**
     * {@code -Dcleanroom.docker.client=docker-java} sends every call through docker-java's HTTP
     * client even where the built-in one would do: a way out should a daemon or proxy disagree
     * with the built-in client, and how the tests run that path on a local socket.
     */
    public static final String CLIENT_PROPERTY = "cleanroom.docker.client";

    private static final String API_VERSION_HEADER = "Api-Version";
    private static final String OLDEST_WITHOUT_HEADER = "1.24";

    private DockerConnector() {
    }

    public static DockerRuntime connect(EngineLog log) throws DockerUnavailableException {
        return connect(log, null);
    }

    /**
     * Connects, and decides how the build reaches the services ({@link ServiceReach});
     * {@code hostAddress} (may be null) overrides the exported host, above the
     * {@code cleanroom.hostAddress} system property and {@code CLEANROOM_HOST_ADDRESS}.
     */
    public static DockerRuntime connect(EngineLog log, String hostAddress) throws DockerUnavailableException {
        DockerTransport transport;
        Optional<ServiceReach.Override> override;
        try {
            override = ReachDecision.override(hostAddress);
            ServiceReach.refuseSsh(setting("DOCKER_HOST").orElse(null));
            transport = transport();
        } catch (IllegalArgumentException e) {
            throw new DockerUnavailableException(e.getMessage() + ".", e);
        } catch (RuntimeException e) {
            throw unavailable(setting("DOCKER_HOST").orElse(DEFAULT_SOCKET.toString()), e);
        }
        try {
            String version = userChoice().orElse(null);
            if (version == null) {
                version = negotiate(transport);
            }
            log.debug("Docker daemon at " + transport.host() + ", API version " + version);
            DockerRuntime bare = new DockerRuntime(new DockerApi(transport, version),
                    ServiceReach.onHost(transport.host()), log);
            return bare.withReach(ReachDecision.decide(transport.host(), bare.detectionView(), override, log));
        } catch (IOException | RuntimeException e) {
            closeQuietly(transport);
            throw unavailable(transport.host(), e);
        }
    }

    static DockerUnavailableException unavailable(String host, Exception e) {
        Throwable root = rootCause(e);
        if (root instanceof DockerTimeoutException) {
            // Its message names the endpoint, the call, the bound and what to check.
            String message = root.getMessage();
            return new DockerUnavailableException(Character.toUpperCase(message.charAt(0)) + message.substring(1) + ".", e);
        }
        if (permissionDenied(e)) {
            return new DockerUnavailableException("Permission denied on " + socketPathOrHost(host) + ": this user may "
                    + "not open the Docker daemon's socket. Perhaps you should add yourself to the docker group (sudo "
                    + "usermod -aG docker $USER, then log in again) or point DOCKER_HOST at a daemon you may use.", e);
        }
        return new DockerUnavailableException("No Docker daemon answers at " + host + " (" + rootMessage(e) + "). "
                + "Perhaps you should start it (sudo systemctl start docker, or run dockerd), or point DOCKER_HOST "
                + "at a running daemon.", e);
    }

    /**
     * EACCES on the socket. Java reports it as a BindException (sic) or SocketException saying
     * "Permission denied", docker-java's client as an AccessDeniedException.
     */
    private static boolean permissionDenied(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.nio.file.AccessDeniedException
                    || cause.getMessage() != null && cause.getMessage().contains("Permission denied")) {
                return true;
            }
        }
        return false;
    }

    private static String socketPathOrHost(String host) {
        try {
            URI uri = URI.create(host);
            return "unix".equals(uri.getScheme()) && uri.getPath() != null ? uri.getPath() : host;
        } catch (IllegalArgumentException e) {
            return host;
        }
    }

    /**
     * DOCKER_HOST as a URI. {@code unix://} alone is a likely slip (the path left out); Java's
     * own words for it ("Expected authority at index 7") would not tell the user what is wrong.
     */
    static URI dockerHost(String value) {
        if (value.startsWith("unix://") && value.substring("unix://".length()).isBlank()) {
            throw new IllegalArgumentException("DOCKER_HOST=" + value + " names no socket path. Perhaps you should "
                    + "write DOCKER_HOST=unix:///var/run/docker.sock (or the path of your daemon's socket)");
        }
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("DOCKER_HOST=" + value + " is not an address (" + e.getMessage()
                    + "). Perhaps you should write it as unix:///path/to/docker.sock or tcp://host:2375", e);
        }
    }

    /**
     * Where the daemon is, found as the docker CLI finds it. DOCKER_HOST on a Unix socket or plain
     * TCP, or no setting at all, is spoken to directly; TLS, named pipes and docker contexts go
     * through docker-java, which resolves them as the CLI does.
     */
    static DockerTransport transport() {
        String client = System.getProperty(CLIENT_PROPERTY, "builtin").trim();
        if (!client.equals("builtin") && !client.equals("docker-java")) {
            throw new IllegalArgumentException(CLIENT_PROPERTY + " = \"" + client + "\" is not a Docker client; write "
                    + "builtin (the default) or docker-java");
        }
        if (client.equals("docker-java") || tlsRequested()) {
            return viaDockerJava();
        }
        Optional<URI> chosen = setting("DOCKER_HOST").map(DockerConnector::dockerHost);
        if (chosen.isPresent()) {
            return SocketTransport.supports(chosen.get()) ? SocketTransport.to(chosen.get()) : viaDockerJava();
        }
        return dockerContext().isEmpty() && Files.exists(Path.of(DEFAULT_SOCKET.getPath()))
                ? SocketTransport.to(DEFAULT_SOCKET) : viaDockerJava();
    }

    /** docker-java's HTTP client, configured from the environment exactly as docker-java configures itself. */
    private static DockerTransport viaDockerJava() {
        return new DockerJavaTransport(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
    }

    /** An environment variable, else the system property of the same name (docker-java reads both). */
    private static Optional<String> setting(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static boolean tlsRequested() {
        return setting("DOCKER_TLS_VERIFY").filter(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).isPresent();
    }

    /** The docker context the CLI would use instead of the default one, if any. */
    static Optional<String> dockerContext() {
        Optional<String> fromEnvironment = setting("DOCKER_CONTEXT");
        if (fromEnvironment.isPresent()) {
            return fromEnvironment.filter(c -> !c.equals("default"));
        }
        Path config = setting("DOCKER_CONFIG").map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".docker"))
                .resolve("config.json");
        try {
            if (!Files.isRegularFile(config)) {
                return Optional.empty();
            }
            String current = Json.object(Files.readString(config)).flatMap(c -> Json.string(c, "currentContext")).orElse("");
            return current.isEmpty() || current.equals("default") ? Optional.empty() : Optional.of(current);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable config: the CLI falls back to the default context too
        }
    }

    private static Optional<String> userChoice() {
        return setting("DOCKER_API_VERSION").or(() -> Optional.ofNullable(System.getProperty("api.version")))
                .map(String::trim).filter(v -> !v.isEmpty()).map(v -> v.startsWith("v") ? v.substring(1) : v);
    }

    /**
     * Asks the unversioned {@code /_ping} for the daemon's API version, as the docker CLI does: the
     * answer is a header, so no JSON is read.
     */
    private static String negotiate(DockerTransport transport) throws IOException {
        try (DockerTransport.Exchange ping = transport.exchange("GET", "/_ping", Map.of(), null,
                DockerTimeouts.PING)) {
            if (ping.status() != 200) {
                throw new IOException("GET /_ping answered HTTP " + ping.status());
            }
            return agree(daemonApiVersion(ping.header(API_VERSION_HEADER).orElse(null)));
        }
    }

    /** Daemons older than API 1.25 send no version header; the docker CLI then assumes 1.24. */
    static String daemonApiVersion(String header) {
        return header == null || header.isBlank() ? OLDEST_WITHOUT_HEADER : header.trim();
    }

    /** The lower of the daemon's API version and the newest this client speaks. */
    static String agree(String daemonApiVersion) {
        return compare(daemonApiVersion, NEWEST_SUPPORTED) >= 0 ? NEWEST_SUPPORTED : daemonApiVersion;
    }

    /** Compares "major.minor" versions numerically (1.9 is older than 1.41). */
    static int compare(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int l = i < left.length ? Integer.parseInt(left[i]) : 0;
            int r = i < right.length ? Integer.parseInt(right[i]) : 0;
            if (l != r) {
                return Integer.compare(l, r);
            }
        }
        return 0;
    }

    /** Published ports bind to loopback, so a local daemon's ports are reached on 127.0.0.1. */
    static String hostAddressFor(URI dockerHost) {
        String scheme = dockerHost.getScheme();
        if (scheme == null || scheme.equals("unix") || scheme.equals("npipe")) {
            return "127.0.0.1";
        }
        String host = dockerHost.getHost();
        return host == null || host.equals("localhost") ? "127.0.0.1" : host;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    static String rootMessage(Throwable e) {
        Throwable root = rootCause(e);
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }

    private static void closeQuietly(DockerTransport transport) {
        try {
            transport.close();
        } catch (IOException | RuntimeException ignored) {
            // Already failing; the original error is the one worth reporting.
        }
    }
}
