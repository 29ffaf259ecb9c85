package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.spi.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/1.1 client against a scripted daemon: a Unix socket in a temporary directory that
 * answers one request with canned bytes (a test double of dockerd's wire format, taken from
 * what Docker 20.10 sends) and records the request it got.
 */
class SocketTransportTest {

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private CompletableFuture<String> received;

    @AfterEach
    void closeServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private SocketTransport daemonAnswering(String response) throws IOException {
        Path socket = dir.resolve("docker.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        received = CompletableFuture.supplyAsync(() -> {
            try (SocketChannel client = server.accept()) {
                String request = readRequest(client);
                client.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)));
                return request;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return SocketTransport.to(URI.create("unix://" + socket));
    }

    /** Reads the head and, per its Content-Length, the body. */
    private static String readRequest(SocketChannel client) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (true) {
            String text = seen.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("Content-Length: (\\d+)")
                        .matcher(text);
                int body = length.find() ? Integer.parseInt(length.group(1)) : 0;
                if (seen.size() >= end + 4 + body) {
                    return text;
                }
            }
            buffer.clear();
            if (client.read(buffer) < 0) {
                return text;
            }
            seen.write(buffer.array(), 0, buffer.position());
        }
    }

    @Test
    void sendsAnHttp11RequestWithItsJsonBodyAndReadsAContentLengthAnswer() throws Exception {
        // Arrange
        SocketTransport transport = daemonAnswering("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                + "Content-Length: 17\r\n\r\n{\"Id\":\"abc123\"}\n");
        DockerApi api = new DockerApi(transport, "1.41");

        // Act
        Map<String, Object> answer = api.callForObject("POST", "/networks/create", Map.of("Name", "n1"));

        // Assert
        assertThat(answer).containsEntry("Id", "abc123");
        assertThat(received.get())
                .startsWith("POST /v1.41/networks/create HTTP/1.1\r\n")
                .contains("Content-Type: application/json\r\n", "Content-Length: 13\r\n")
                .endsWith("\r\n\r\n{\"Name\":\"n1\"}");
    }

    @Test
    void readsAChunkedAnswer() throws Exception {
        // Arrange: Docker sends lists chunked
        SocketTransport transport = daemonAnswering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n[{\"Id\r\n" + "b;ext=1\r\n\":\"c1\"},{}]\r\n" + "0\r\n\r\n");

        // Act
        Object answer = new DockerApi(transport, "1.41").call("GET", "/containers/json", null);

        // Assert
        assertThat(Json.objectsOf(answer)).containsExactly(Map.of("Id", "c1"), Map.of());
        assertThat(received.get())
                .startsWith("GET /v1.41/containers/json HTTP/1.1\r\n")
                .doesNotContain("Content-Length");
    }

    @Test
    void readsAHijackedStreamUntilTheDaemonClosesIt() throws Exception {
        // Arrange: exec start answers 200 with no length and streams until the command ends
        SocketTransport transport = daemonAnswering("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream"
                + "\r\n\r\n" + "\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0003out"
                + "\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u0003err");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        // Act
        try (DockerTransport.Exchange exchange = transport.exchange("POST", "/exec/e1/start", Map.of(), new byte[0])) {
            StreamFrames.copy(
                    exchange.body(),
                    (stream, payload, length) ->
                            (stream == StreamFrames.STDERR ? stderr : stdout).write(payload, 0, length));
        }

        // Assert
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("out");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("err");
    }

    @Test
    void anErrorStatusCarriesTheDaemonsMessage() throws Exception {
        // Arrange
        SocketTransport transport = daemonAnswering("HTTP/1.1 404 Not Found\r\nContent-Length: 48\r\n\r\n"
                + "{\"message\":\"No such image: nothing:here-at-all\"}");

        // Act + Assert
        assertThatThrownBy(() -> new DockerApi(transport, "1.41").call("POST", "/containers/create", Map.of()))
                .isInstanceOfSatisfying(
                        DockerApiException.class, e -> assertThat(e.notFound()).isTrue())
                .hasMessage("HTTP 404: No such image: nothing:here-at-all");
    }

    @Test
    void aNoContentAnswerHasAnEmptyBody() throws Exception {
        // Arrange: start, stop and delete answer 204
        SocketTransport transport = daemonAnswering("HTTP/1.1 204 No Content\r\n\r\n");

        // Act
        Object answer = new DockerApi(transport, "1.41").call("POST", "/containers/c1/start", null);

        // Assert
        assertThat(answer).isNull();
        assertThat(received.get()).contains("Content-Length: 0\r\n");
    }

    @Test
    void aConnectionClosedMidAnswerIsAnError() throws Exception {
        // Arrange
        SocketTransport transport = daemonAnswering("HTTP/1.1 200 OK\r\nContent-");

        // Act + Assert
        assertThatThrownBy(() -> transport.exchange("GET", "/_ping", Map.of(), null))
                .isInstanceOf(IOException.class)
                .hasMessage("the Docker daemon closed the connection mid-response");
    }

    @Test
    void aTtyStreamWithoutFrameHeadersIsPassedOnAsStdout() throws IOException {
        // Arrange
        InputStream raw = new java.io.ByteArrayInputStream("plain output\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();

        // Act
        StreamFrames.copy(raw, (stream, payload, length) -> {
            assertThat(stream).isEqualTo(StreamFrames.STDOUT);
            stdout.write(payload, 0, length);
        });

        // Assert
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("plain output\n");
    }

    @Test
    void speaksTheSameHttpOverPlainTcp() throws Exception {
        // Arrange: DOCKER_HOST=tcp://... without TLS, as a daemon behind a local port or a socket proxy
        try (ServerSocketChannel tcp = ServerSocketChannel.open()) {
            tcp.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            int port = ((java.net.InetSocketAddress) tcp.getLocalAddress()).getPort();
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel client = tcp.accept()) {
                    String got = readRequest(client);
                    client.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK"
                            .getBytes(StandardCharsets.ISO_8859_1)));
                    return got;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            SocketTransport transport = SocketTransport.to(URI.create("tcp://127.0.0.1:" + port));

            // Act
            try (DockerTransport.Exchange ping = transport.exchange("GET", "/_ping", Map.of(), null)) {
                // Assert
                assertThat(ping.status()).isEqualTo(200);
                assertThat(ping.header("api-version")).contains("1.41");
                assertThat(new String(ping.body().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("OK");
            }
            assertThat(request.get()).startsWith("GET /_ping HTTP/1.1\r\n");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aDaemonThatStopsMidAnswerFailsTheReadAfterTheIdleBoundNamingTheCall() throws Exception {
        // Arrange: the headers of a streamed answer, then nothing, the connection kept open
        Path socket = dir.resolve("docker.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        CompletableFuture<SocketChannel> held = CompletableFuture.supplyAsync(() -> {
            try {
                SocketChannel client = server.accept();
                readRequest(client);
                client.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"status\""
                        .getBytes(StandardCharsets.ISO_8859_1)));
                return client;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        SocketTransport transport = SocketTransport.to(URI.create("unix://" + socket));

        // Act + Assert
        try (DockerTransport.Exchange pull =
                transport.exchange("POST", "/images/create", Map.of(), null, java.time.Duration.ofMillis(500))) {
            assertThatThrownBy(() -> pull.body().readAllBytes())
                    .isInstanceOf(DockerTimeoutException.class)
                    .hasMessage("the Docker daemon at unix://" + socket + " sent nothing more of its answer to POST "
                            + "/images/create for 500 ms. Perhaps you should check that the daemon at unix://" + socket
                            + " is healthy (docker info), or point DOCKER_HOST at another daemon");
        } finally {
            held.get().close();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void closingTheExchangeFromAnotherThreadEndsAReadWithoutCallingItATimeout() throws Exception {
        // Arrange: how a step's timeout ends an exec's output stream; the daemon keeps the stream open
        Path socket = dir.resolve("held.sock");
        try (ServerSocketChannel held = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            held.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<SocketChannel> client = CompletableFuture.supplyAsync(() -> {
                try {
                    SocketChannel accepted = held.accept();
                    readRequest(accepted);
                    accepted.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                    return accepted;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            DockerTransport.Exchange exec = SocketTransport.to(URI.create("unix://" + socket))
                    .exchange("POST", "/exec/e1/start", Map.of(), new byte[0], java.time.Duration.ofSeconds(30));
            CompletableFuture.delayedExecutor(300, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        try {
                            exec.close();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });

            // Act + Assert
            assertThatThrownBy(() -> exec.body().readAllBytes())
                    .isInstanceOf(java.nio.channels.AsynchronousCloseException.class);
            client.get().close();
        }
    }

    @Test
    void onlyUnixSocketsAndPlainTcpAreSpokenToDirectly() {
        assertThat(SocketTransport.supports(URI.create("unix:///var/run/docker.sock")))
                .isTrue();
        assertThat(SocketTransport.supports(URI.create("tcp://127.0.0.1:2375"))).isTrue();
        assertThat(SocketTransport.supports(URI.create("npipe:////./pipe/docker_engine")))
                .isFalse();
        assertThat(SocketTransport.supports(URI.create("https://docker.example:2376")))
                .isFalse();
    }
}
