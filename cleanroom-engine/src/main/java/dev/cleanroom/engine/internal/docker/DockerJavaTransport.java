package dev.cleanroom.engine.internal.docker;

import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker API through docker-java's HTTP client, for daemons {@link SocketTransport} cannot
 * reach by itself: TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), Windows named pipes, and hosts
 * named by a docker context. docker-java resolves those exactly as the docker CLI does.
 */
public final class DockerJavaTransport implements DockerTransport {

    private final DockerHttpClient http;
    private final String host;

    public DockerJavaTransport(DockerClientConfig config) {
        this.host = config.getDockerHost().toString();
        this.http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Exchange exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method))
                .path(path)
                .headers(headers);
        if (body != null) {
            request.putHeader("Content-Type", "application/json").body(new ByteArrayInputStream(body));
        }
        DockerHttpClient.Response response;
        try {
            response = http.execute(request.build());
        } catch (UncheckedIOException e) {
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
        http.close();
    }
}
