package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.Durations;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * HTTP/1.1 to the Docker daemon over its Unix socket or plain TCP, one connection per request.
 *
 * <p>Why not an HTTP library: every build pays for loading one, and the Docker API needs little
 * of HTTP (no redirects, no cookies, no TLS on a local socket). A connection per request costs
 * tens of microseconds on a Unix socket and spares us connection pooling and the daemon's
 * hijacked streams (exec, attach) poisoning a pooled connection.
 */
public final class SocketTransport implements DockerTransport {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final URI host;
    private final SocketAddress address;
    private final StandardProtocolFamily family;

    private SocketTransport(URI host, SocketAddress address, StandardProtocolFamily family) {
        this.host = host;
        this.address = address;
        this.family = family;
    }

    /** Whether this transport can reach {@code host} (unix:// or plain tcp://). */
    public static boolean supports(URI host) {
        return "unix".equals(host.getScheme()) || "tcp".equals(host.getScheme()) || "http".equals(host.getScheme());
    }

    public static SocketTransport to(URI host) {
        if ("unix".equals(host.getScheme())) {
            return new SocketTransport(host, UnixDomainSocketAddress.of(host.getPath()), StandardProtocolFamily.UNIX);
        }
        if (supports(host)) {
            int port = host.getPort() > 0 ? host.getPort() : 2375;
            return new SocketTransport(host, new InetSocketAddress(host.getHost(), port), StandardProtocolFamily.INET);
        }
        throw new IllegalArgumentException("not a unix:// or tcp:// address: " + host);
    }

    @Override
    public String host() {
        return host.toString();
    }

    @Override
    public Exchange exchange(String method, String path, Map<String, String> headers, byte[] body, Duration idleTimeout)
            throws IOException {
        SocketChannel channel = family == StandardProtocolFamily.UNIX
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        try {
            connect(channel);
            Watched watched = new Watched(channel, idleTimeout, method + " " + path);
            OutputStream out = watched.output();
            out.write(requestHead(method, path, headers, body));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = new BufferedInputStream(watched, 16 * 1024);
            return readResponse(channel, in, method);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void connect(SocketChannel channel) throws IOException {
        try (StallWatchdog.Wait wait = StallWatchdog.watch(channel, DockerTimeouts.CONNECT)) {
            try {
                channel.connect(address);
            } catch (IOException e) {
                if (wait.fired()) {
                    throw timeout("did not accept a connection within " + Durations.format(DockerTimeouts.CONNECT));
                }
                throw e;
            }
        }
    }

    private DockerTimeoutException timeout(String what) {
        return new DockerTimeoutException("the Docker daemon at " + host + " " + what + ". Perhaps you should check "
                + "that the daemon at " + host + " is healthy (docker info), or point DOCKER_HOST at another daemon");
    }

    /**
     * The channel's bytes, each read bounded by the call's idle timeout: a read that waits longer
     * fails with a {@link DockerTimeoutException} naming the call. A close from another thread (a
     * step's timeout) ends a read as before, without being taken for a timeout.
     */
    private final class Watched extends InputStream {
        private final SocketChannel channel;
        private final InputStream in;
        private final Duration idleTimeout;
        private final String call;
        private boolean answered;

        Watched(SocketChannel channel, Duration idleTimeout, String call) {
            this.channel = channel;
            this.in = Channels.newInputStream(channel);
            this.idleTimeout = idleTimeout;
            this.call = call;
        }

        OutputStream output() {
            OutputStream out = Channels.newOutputStream(channel);
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    try (StallWatchdog.Wait wait = StallWatchdog.watch(channel, idleTimeout)) {
                        try {
                            out.write(bytes, offset, length);
                        } catch (IOException e) {
                            throw wait.fired()
                                    ? timeout("did not take the request " + call + " within "
                                            + Durations.format(idleTimeout))
                                    : e;
                        }
                    }
                }
            };
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try (StallWatchdog.Wait wait = StallWatchdog.watch(channel, idleTimeout)) {
                try {
                    int n = in.read(buffer, offset, length);
                    answered |= n > 0;
                    return n;
                } catch (IOException e) {
                    if (!wait.fired()) {
                        throw e;
                    }
                    throw timeout(
                            answered
                                    ? "sent nothing more of its answer to " + call + " for "
                                            + Durations.format(idleTimeout)
                                    : "did not answer " + call + " within " + Durations.format(idleTimeout));
                }
            }
        }
    }

    private static byte[] requestHead(String method, String path, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: docker\r\n")
                .append("User-Agent: cleanroom\r\n")
                .append("Connection: close\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ")
                    .append(body == null ? 0 : body.length)
                    .append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Exchange readResponse(SocketChannel channel, InputStream in, String method) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer from the Docker daemon: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int headerBytes = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("the Docker daemon's response headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim());
            }
        }
        return new SocketExchange(channel, status, headers, body(in, status, headers, method));
    }

    private static InputStream body(InputStream in, int status, Map<String, String> headers, String method) {
        if (method.equals("HEAD") || status == 204 || status == 304) {
            return InputStream.nullInputStream();
        }
        String encoding = headers.getOrDefault("Transfer-Encoding", "");
        if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        String length = headers.get("Content-Length");
        // Without a length the body ends when the daemon closes the connection (hijacked exec streams).
        return length == null ? in : new BoundedInputStream(in, Long.parseLong(length));
    }

    /** A CRLF- (or LF-) terminated line, without the terminator; end of stream is an error. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new java.io.EOFException("the Docker daemon closed the connection mid-response");
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("a line of the Docker daemon's response exceeds " + MAX_HEADER_BYTES + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private record SocketExchange(SocketChannel channel, int status, Map<String, String> headers, InputStream body)
            implements Exchange {

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** The body of a response with a Content-Length. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** HTTP/1.1 chunked transfer coding (RFC 9112 section 7.1); trailers are read and dropped. */
    static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            if (chunkLeft == 0) {
                String size = readLine(in);
                int extension = size.indexOf(';');
                chunkLeft = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                if (chunkLeft == 0) {
                    for (String trailer = readLine(in); !trailer.isEmpty(); trailer = readLine(in)) {
                        // Trailers carry nothing the Docker API uses.
                    }
                    done = true;
                    return false;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!nextChunk()) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, chunkLeft));
            if (n < 0) {
                throw new java.io.EOFException("the Docker daemon closed the connection mid-chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                readLine(in);
            }
            return n;
        }
    }
}
