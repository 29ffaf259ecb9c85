package dev.cleanroom.engine.internal.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP exchange with the Docker daemon. Two implementations: {@link SocketTransport} speaks
 * HTTP/1.1 itself over the local socket or plain TCP (the common case, and the fast one: no HTTP
 * library to load), {@link DockerJavaTransport} borrows docker-java's client for what that one
 * would need TLS certificates, named pipes or docker contexts for.
 */
public interface DockerTransport extends Closeable {

    /**
     * Sends one request and returns as soon as the status line and headers are read; the body is
     * left to the caller to read (a pull's progress and an exec's output are streams).
     *
     * @param headers extra request headers (a registry credential); may be empty
     * @param body JSON, or null for a request without a body
     */
    default Exchange exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        return exchange(method, path, headers, body, DockerTimeouts.ORDINARY);
    }

    /**
     * As {@link #exchange(String, String, Map, byte[])}, failing with a {@link DockerTimeoutException}
     * when the daemon sends nothing for {@code idleTimeout} (zero: no bound), from the request
     * until the caller closes the exchange.
     */
    Exchange exchange(String method, String path, Map<String, String> headers, byte[] body, Duration idleTimeout)
            throws IOException;

    /** Where the daemon is, as DOCKER_HOST would say it. */
    String host();

    @Override
    default void close() throws IOException {}

    /**
     * A response whose body is still to be read. Closing it from another thread ends a blocked
     * read (that is how a step's timeout stops waiting).
     */
    interface Exchange extends Closeable {
        int status();

        Optional<String> header(String name);

        InputStream body();
    }
}
