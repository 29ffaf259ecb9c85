package dev.cleanroom.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Unix socket that answers every request as a Docker daemon answers {@code /_ping} (HTTP 200,
 * an {@code Api-Version} header, body {@code OK}): enough for discovery to take it for a daemon.
 */
public final class PingingSocket implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Thread acceptor;

    private PingingSocket(ServerSocketChannel server) {
        this.server = server;
        this.acceptor = new Thread(this::serve, "pinging-socket");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on {@code path} (its directories are made) until closed. */
    public static PingingSocket at(Path path) throws IOException {
        return new PingingSocket(bind(path));
    }

    /**
     * Leaves a socket file nobody listens on (a daemon that stopped without removing it):
     * connecting to it is refused.
     */
    public static void deadAt(Path path) throws IOException {
        bind(path).close();
    }

    private static ServerSocketChannel bind(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(path));
        return channel;
    }

    private void serve() {
        try {
            while (true) {
                try (SocketChannel client = server.accept()) {
                    readHead(client);
                    client.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\n"
                                    + "Content-Length: 2\r\n\r\nOK")
                            .getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            // closed by the test
        }
    }

    private static void readHead(SocketChannel client) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        while (!head.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
            buffer.clear();
            if (client.read(buffer) < 0) {
                return;
            }
            head.write(buffer.array(), 0, buffer.position());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
