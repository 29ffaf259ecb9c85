package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.DockerUnavailableException;
import dev.cleanroom.engine.api.EngineLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DOCKER_HOST that accepts connections and never answers (a hung dockerd, a stuck socket
 * proxy): connecting must fail within the ping's bound, naming the endpoint, rather than hang
 * the build. Each test bounds itself, so a regression fails instead of hanging.
 */
class HungDaemonTest {

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
    private Thread acceptor;
    private final String previousDockerHost = System.getProperty("DOCKER_HOST");

    @AfterEach
    void closeServer() throws IOException {
        if (previousDockerHost == null) {
            System.clearProperty("DOCKER_HOST");
        } else {
            System.setProperty("DOCKER_HOST", previousDockerHost);
        }
        if (acceptor != null) {
            acceptor.interrupt();
        }
        if (server != null) {
            server.close();
        }
        for (SocketChannel client : held) {
            client.close();
        }
    }

    /** Accepts every connection and keeps it open without reading or writing a byte. */
    private void acceptAndNeverAnswer(ServerSocketChannel listening) {
        server = listening;
        acceptor = new Thread(
                () -> {
                    try {
                        while (true) {
                            held.add(listening.accept());
                        }
                    } catch (IOException e) {
                        // closed by the test
                    }
                },
                "hung-daemon");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Test
    @Timeout(value = 40, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aUnixSocketThatNeverAnswersFailsTheConnectionNamingTheEndpoint() throws Exception {
        // Arrange
        Path socket = dir.resolve("hung.sock");
        ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listening.bind(UnixDomainSocketAddress.of(socket));
        acceptAndNeverAnswer(listening);
        String host = "unix://" + socket;
        System.setProperty("DOCKER_HOST", host);

        // Act + Assert
        assertThatThrownBy(() -> DockerConnector.connect(EngineLog.silent()))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessage("The Docker daemon at " + host + " did not answer GET /_ping within 10.0 s. Perhaps you "
                        + "should check that the daemon at " + host + " is healthy (docker info), or point DOCKER_HOST "
                        + "at another daemon.");
    }

    @Test
    @Timeout(value = 40, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTcpPortThatNeverAnswersFailsTheConnectionNamingTheEndpoint() throws Exception {
        // Arrange
        ServerSocketChannel listening = ServerSocketChannel.open();
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptAndNeverAnswer(listening);
        String host = "tcp://127.0.0.1:" + ((InetSocketAddress) listening.getLocalAddress()).getPort();
        System.setProperty("DOCKER_HOST", host);

        // Act + Assert
        assertThatThrownBy(() -> DockerConnector.connect(EngineLog.silent()))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessage("The Docker daemon at " + host + " did not answer GET /_ping within 10.0 s. Perhaps you "
                        + "should check that the daemon at " + host + " is healthy (docker info), or point DOCKER_HOST "
                        + "at another daemon.");
    }
}
