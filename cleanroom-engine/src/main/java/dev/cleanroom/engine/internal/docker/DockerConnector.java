package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.DockerJavaProvider;
import dev.cleanroom.engine.api.DockerUnavailableException;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.RegistryLogin;
import dev.cleanroom.engine.internal.ReachDecision;
import dev.cleanroom.engine.internal.ServiceReach;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Connects to the Docker daemon {@link DaemonDiscovery} finds (DOCKER_HOST, Testcontainers'
 * settings, the docker context, the well-known sockets) and agrees on an API version with it.
 *
 * <p>Why negotiate: a fixed version is always wrong somewhere. Debian's Docker 20.10 refuses
 * anything above 1.41, while Docker 29 refuses anything below 1.44. So we ask the daemon's
 * unversioned {@code /_ping} endpoint and use the lower of its version and the newest our
 * client knows. A user who sets DOCKER_API_VERSION (or {@code api.version}) keeps their choice.
 */
public final class DockerConnector {

    /** The newest Engine API version this client speaks (Docker 25); Docker 29 accepts nothing older. */
    static final String NEWEST_SUPPORTED = "1.44";

    /**
     * {@code -Dcleanroom.docker.client=docker-java} sends every call through docker-java's HTTP
     * client even where the built-in one would do: a way out should a daemon or proxy disagree
     * with the built-in client, and how the tests run that path on a local socket.
     */
    public static final String CLIENT_PROPERTY = "cleanroom.docker.client";

    private static final String API_VERSION_HEADER = "Api-Version";
    private static final String OLDEST_WITHOUT_HEADER = "1.24";

    private DockerConnector() {}

    public static DockerRuntime connect(EngineLog log) throws DockerUnavailableException {
        return connect(log, null);
    }

    /**
     * Connects, and decides how the build reaches the services ({@link ServiceReach});
     * {@code hostAddress} (may be null) overrides the exported host, above the
     * {@code cleanroom.hostAddress} system property and {@code CLEANROOM_HOST_ADDRESS}.
     */
    public static DockerRuntime connect(EngineLog log, String hostAddress) throws DockerUnavailableException {
        return connect(log, hostAddress, Map.of());
    }

    /**
     * As {@link #connect(EngineLog, String)}, pulling with the build tool's registry logins
     * ({@code registryLogins}: settings.xml servers by id) after the docker config's sources.
     */
    public static DockerRuntime connect(EngineLog log, String hostAddress, Map<String, RegistryLogin> registryLogins)
            throws DockerUnavailableException {
        return connect(log, hostAddress, registryLogins, DockerJavaProvider.none());
    }

    /**
     * As {@link #connect(EngineLog, String, Map)}, asking {@code dockerJava} for docker-java's
     * client first when the daemon needs it and the classpath lacks it.
     */
    public static DockerRuntime connect(
            EngineLog log, String hostAddress, Map<String, RegistryLogin> registryLogins, DockerJavaProvider dockerJava)
            throws DockerUnavailableException {
        DaemonEndpoint endpoint = endpoint(log);
        provideDockerJava(endpoint, DockerConnector.class.getClassLoader(), dockerJava);
        DockerTransport transport;
        Optional<ServiceReach.Override> override;
        try {
            override = ReachDecision.override(hostAddress);
            ServiceReach.refuseSsh(endpoint.uri().toString());
            transport = transportTo(endpoint);
        } catch (IllegalArgumentException e) {
            throw new DockerUnavailableException(e.getMessage() + ".", e);
        } catch (RuntimeException e) {
            throw unavailable(endpoint.describe(), e);
        }
        try {
            String version = userChoice().orElse(null);
            if (version == null) {
                version = negotiate(transport);
            }
            log.debug("Docker daemon at " + endpoint.describe() + ", API version " + version);
            DockerRuntime bare =
                    new DockerRuntime(new DockerApi(transport, version), ServiceReach.onHost(transport.host()), log);
            return bare.withReach(ReachDecision.decide(transport.host(), bare.detectionView(), override, log))
                    .withRegistryAuth(RegistryAuthLocator.current(registryLogins));
        } catch (IOException | RuntimeException e) {
            closeQuietly(transport);
            throw unavailable(endpoint.describe(), e);
        }
    }

    /** Where the daemon is ({@link DaemonDiscovery}), after checking the client choice the user made. */
    static DaemonEndpoint endpoint(EngineLog log) throws DockerUnavailableException {
        try {
            client();
        } catch (IllegalArgumentException e) {
            throw new DockerUnavailableException(e.getMessage() + ".", e);
        }
        return new DaemonDiscovery(DaemonDiscovery.Environment.current(), log).find();
    }

    static DockerUnavailableException unavailable(String host, Exception e) {
        Throwable root = rootCause(e);
        if (root instanceof DockerTimeoutException) {
            // Its message names the endpoint, the call, the bound and what to check.
            String message = root.getMessage();
            return new DockerUnavailableException(
                    Character.toUpperCase(message.charAt(0)) + message.substring(1) + ".", e);
        }
        if (DaemonFailures.permissionDenied(e)) {
            return new DockerUnavailableException(
                    "Permission denied on " + socketPathOrHost(host) + ": this user may "
                            + "not open the Docker daemon's socket. Perhaps you should add yourself to the docker group (sudo "
                            + "usermod -aG docker $USER, then log in again) or point DOCKER_HOST at a daemon you may use.",
                    e);
        }
        return new DockerUnavailableException(
                "No Docker daemon answers at " + host + " (" + rootMessage(e) + "). "
                        + "Perhaps you should start it (sudo systemctl start docker, or run dockerd), or point DOCKER_HOST "
                        + "at a running daemon.",
                e);
    }

    private static String socketPathOrHost(String host) {
        try {
            URI uri = URI.create(host);
            return "unix".equals(uri.getScheme()) && uri.getPath() != null ? uri.getPath() : host;
        } catch (IllegalArgumentException e) {
            return host;
        }
    }

    private static String client() {
        String client = System.getProperty(CLIENT_PROPERTY, "builtin").trim();
        if (!client.equals("builtin") && !client.equals("docker-java")) {
            throw new IllegalArgumentException(CLIENT_PROPERTY + " = \"" + client + "\" is not a Docker client; write "
                    + "builtin (the default) or docker-java");
        }
        return client;
    }

    /** The transport to the daemon discovery finds, without connecting yet. */
    static DockerTransport transport() throws DockerUnavailableException {
        return transportTo(endpoint(EngineLog.silent()));
    }

    /**
     * The built-in client for Unix sockets and plain TCP, wherever the address was found (a docker
     * context included); docker-java's only for TLS material and named pipes, or when chosen.
     */
    private static DockerTransport transportTo(DaemonEndpoint endpoint) {
        if (client().equals("docker-java") || endpoint.needsDockerJava()) {
            return viaDockerJava(endpoint);
        }
        return SocketTransport.to(endpoint.uri());
    }

    /**
     * docker-java's HTTP client, told the address and TLS material discovery found. Built inside
     * DockerJavaTransport so that no docker-java type appears in this class: the JVM's verifier
     * would load it on every build.
     */
    private static DockerTransport viaDockerJava(DaemonEndpoint endpoint) {
        requireDockerJava(endpoint, DockerConnector.class.getClassLoader());
        return DockerJavaTransport.to(endpoint.uri(), endpoint.tlsCertPath());
    }

    /**
     * Asks {@code dockerJava} for docker-java's client when {@code endpoint} needs it (or the user
     * chose it) and {@code loader} cannot load it; {@link #requireDockerJava} then checks again.
     */
    static void provideDockerJava(DaemonEndpoint endpoint, ClassLoader loader, DockerJavaProvider dockerJava)
            throws DockerUnavailableException {
        boolean chosen;
        try {
            chosen = client().equals("docker-java");
        } catch (IllegalArgumentException e) {
            return; // endpoint() has said so already; connecting fails with that message
        }
        if ((chosen || endpoint.needsDockerJava())
                && missingDockerJavaClass(loader).isPresent()) {
            dockerJava.provide(whyDockerJava(endpoint));
        }
    }

    /** Why the daemon at {@code endpoint} needs docker-java's client, for messages. */
    private static String whyDockerJava(DaemonEndpoint endpoint) {
        return endpoint.tlsCertPath().isPresent()
                ? endpoint.uri() + " speaks TLS"
                : !SocketTransport.supports(endpoint.uri())
                        ? endpoint.uri() + " is a named pipe"
                        : CLIENT_PROPERTY + "=docker-java is set";
    }

    /** The first docker-java class {@code loader} cannot load; empty when it loads them all. */
    private static Optional<String> missingDockerJavaClass(ClassLoader loader) {
        for (String name : DOCKER_JAVA_CLASSES) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** The docker-java classes {@link DockerJavaTransport} uses; one per jar it needs. */
    private static final java.util.List<String> DOCKER_JAVA_CLASSES = java.util.List.of(
            "com.github.dockerjava.core.DefaultDockerClientConfig",
            "com.github.dockerjava.zerodep.ZerodepDockerHttpClient");

    /**
     * docker-java is an optional dependency of the engine, so that test classpaths (the JUnit
     * extension's) do not carry it and its Jackson, Guava and BouncyCastle; the Maven plugin has it.
     * Where this path is taken without it, say which jars to add instead of a NoClassDefFoundError.
     */
    static void requireDockerJava(DaemonEndpoint endpoint, ClassLoader loader) {
        missingDockerJavaClass(loader).ifPresent(name -> {
            throw new IllegalArgumentException("The Docker daemon at " + endpoint.describe() + " needs docker-java's "
                    + "client (" + whyDockerJava(endpoint) + "), which is not on the classpath (" + name
                    + " is missing). Perhaps you "
                    + "should add com.github.docker-java:docker-java-core and "
                    + "com.github.docker-java:docker-java-transport-zerodep (version 3.7.0) to the test classpath to "
                    + "reach a TLS daemon or a named pipe, or point DOCKER_HOST at a Unix socket or plain tcp:// "
                    + "address");
        });
    }

    /** An environment variable, else the system property of the same name (docker-java reads both). */
    private static Optional<String> setting(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static Optional<String> userChoice() {
        return setting("DOCKER_API_VERSION")
                .or(() -> Optional.ofNullable(System.getProperty("api.version")))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .map(v -> v.startsWith("v") ? v.substring(1) : v);
    }

    /**
     * Asks the unversioned {@code /_ping} for the daemon's API version, as the docker CLI does: the
     * answer is a header, so no JSON is read.
     */
    private static String negotiate(DockerTransport transport) throws IOException {
        try (DockerTransport.Exchange ping = transport.exchange("GET", "/_ping", Map.of(), null, DockerTimeouts.PING)) {
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
