package dev.cleanroom.engine.internal.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker API through docker-java's HTTP client, for daemons {@link SocketTransport} cannot
 * reach by itself: TLS (DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or a docker context's TLS
 * material) and Windows named pipes. The address comes from {@code DaemonDiscovery}.
 */
public final class DockerJavaTransport implements DockerTransport {

    private final DockerClientConfig config;
    private final String host;
    /** For calls the daemon answers at once: gives up after {@link DockerTimeouts#ORDINARY} without an answer. */
    private final DockerHttpClient ordinary;
    /** For calls that wait on purpose or stream (made when first needed): only connecting is bounded. */
    private DockerHttpClient patient;

    /** To the daemon at {@code host}, with the TLS material in {@code certPath} when given. */
    public static DockerJavaTransport to(URI host, Optional<Path> certPath) {
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString())
                .withDockerTlsVerify(certPath.isPresent());
        certPath.ifPresent(certs -> config.withDockerCertPath(certs.toString()));
        return new DockerJavaTransport(config.build());
    }

    public DockerJavaTransport(DockerClientConfig config) {
        this.config = config;
        this.host = config.getDockerHost().toString();
        this.ordinary = client(DockerTimeouts.ORDINARY);
    }

    /**
     * docker-java's client takes its timeouts when it is built, not per request, hence one client
     * per kind of call. Its response timeout is a socket timeout: an idle bound, as ours.
     */
    private DockerHttpClient client(Duration responseTimeout) {
        ZerodepDockerHttpClient.Builder builder = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(DockerTimeouts.CONNECT);
        if (!responseTimeout.isZero()) {
            builder.responseTimeout(responseTimeout);
        }
        return builder.build();
    }

    private synchronized DockerHttpClient clientFor(Duration idleTimeout) {
        if (!idleTimeout.isZero() && idleTimeout.compareTo(DockerTimeouts.ORDINARY) <= 0) {
            return ordinary;
        }
        if (patient == null) {
            patient = client(Duration.ZERO);
        }
        return patient;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Exchange exchange(String method, String path, Map<String, String> headers, byte[] body, Duration idleTimeout)
            throws IOException {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method))
                .path(path)
                .headers(headers);
        if (body != null) {
            request.putHeader("Content-Type", "application/json").body(new ByteArrayInputStream(body));
        }
        DockerHttpClient.Response response;
        try {
            response = clientFor(idleTimeout).execute(request.build());
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof java.net.SocketTimeoutException) {
                throw new DockerTimeoutException("the Docker daemon at " + host + " did not answer " + method + " "
                        + path + " within " + dev.cleanroom.engine.spi.Durations.format(DockerTimeouts.ORDINARY)
                        + ". Perhaps you should check that the daemon at " + host + " is healthy (docker info), or "
                        + "point DOCKER_HOST at another daemon");
            }
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new Exchange() {
            @Override
            public int status() {
                return response.getStatusCode();
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(response.getHeader(name));
            }

            @Override
            public InputStream body() {
                return response.getBody();
            }

            @Override
            public void close() {
                response.close();
            }
        };
    }

    @Override
    public void close() throws IOException {
        ordinary.close();
        DockerHttpClient used;
        synchronized (this) {
            used = patient;
        }
        if (used != null) {
            used.close();
        }
    }
}
