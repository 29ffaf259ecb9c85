package dev.cleanroom.engine.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.cleanroom.engine.api.DockerUnavailableException;
import dev.cleanroom.engine.api.EngineLog;
import java.net.URI;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.time.Duration;

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

    /** The newest API version docker-java 3.7 speaks. */
    static final RemoteApiVersion NEWEST_SUPPORTED = RemoteApiVersion.VERSION_1_44;

    private static final String API_VERSION_HEADER = "Api-Version";
    private static final String OLDEST_WITHOUT_HEADER = "1.24";

    private DockerConnector() {
    }

    public static DockerRuntime connect(EngineLog log) throws DockerUnavailableException {
        DefaultDockerClientConfig defaults = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        URI host = defaults.getDockerHost();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(host)
                .sslConfig(defaults.getSSLConfig() == null && isLocalSocket(host) ? NoTls::context : defaults.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        try {
            RemoteApiVersion version = userChoice().orElseGet(() -> negotiate(http));
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host.toString())
                    .withApiVersion(version)
                    .build();
            DockerClient client = DockerClientImpl.getInstance(config, http);
            log.debug("Docker daemon at " + host + ", API version " + version.getVersion());
            return new DockerRuntime(client, hostAddressFor(host), log);
        } catch (RuntimeException e) {
            closeQuietly(http);
            throw new DockerUnavailableException("No Docker daemon answers at " + host + " (" + rootMessage(e) + "). "
                    + "Perhaps you should start it (sudo systemctl start docker, or run dockerd), or point DOCKER_HOST "
                    + "at a running daemon.", e);
        }
    }

    private static java.util.Optional<RemoteApiVersion> userChoice() {
        String chosen = System.getenv("DOCKER_API_VERSION");
        if (chosen == null || chosen.isBlank()) {
            chosen = System.getProperty("api.version");
        }
        return chosen == null || chosen.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(RemoteApiVersion.parseConfig(chosen.trim()));
    }

    /**
     * Asks the unversioned {@code /_ping} for the daemon's API version, as the docker CLI does: the
     * answer is a header, so no JSON is read and docker-java's client need not exist yet.
     */
    private static RemoteApiVersion negotiate(DockerHttpClient http) {
        DockerHttpClient.Request ping = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path("/_ping")
                .build();
        try (DockerHttpClient.Response response = http.execute(ping)) {
            if (response.getStatusCode() != 200) {
                throw new IllegalStateException("GET /_ping answered HTTP " + response.getStatusCode());
            }
            return agree(daemonApiVersion(response.getHeader(API_VERSION_HEADER)));
        }
    }

    /** Daemons older than API 1.25 send no version header; the docker CLI then assumes 1.24. */
    static String daemonApiVersion(String header) {
        return header == null || header.isBlank() ? OLDEST_WITHOUT_HEADER : header.trim();
    }

    /** The lower of the daemon's API version and the newest this client speaks. */
    static RemoteApiVersion agree(String daemonApiVersion) {
        RemoteApiVersion daemon = RemoteApiVersion.parseConfig(daemonApiVersion);
        return daemon.isGreaterOrEqual(NEWEST_SUPPORTED) ? NEWEST_SUPPORTED : daemon;
    }

    static boolean isLocalSocket(URI dockerHost) {
        return "unix".equals(dockerHost.getScheme()) || "npipe".equals(dockerHost.getScheme());
    }

    /**
     * A TLS context for connections that never use TLS (a local socket). Without one, the HTTP
     * client loads the JDK's default context, certificates and all: measured at 0.2 to 0.6 s of
     * every build's start-up, for nothing.
     */
    static final class NoTls extends SSLContext {

        private NoTls() {
            super(new Refusing(), null, "none");
        }

        static SSLContext context() {
            return new NoTls();
        }

        private static final class Refusing extends SSLContextSpi {
            private static IllegalStateException unused() {
                return new IllegalStateException("TLS is not used on a local Docker socket");
            }

            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
                throw unused();
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                throw unused();
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                throw unused();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                throw unused();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                throw unused();
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                throw unused();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                throw unused();
            }
        }
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

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }

    private static void closeQuietly(DockerHttpClient http) {
        try {
            http.close();
        } catch (Exception ignored) {
            // Already failing; the original error is the one worth reporting.
        }
    }
}
