package dev.cleanroom.engine.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Ready-made health checks for plugins: HTTP, TCP, a command in the container, a log line. */
public final class HealthProbes {

    /**
     * How long a TCP probe waits to see whether the peer hangs up at once. Docker's port proxy
     * accepts connections even when nothing listens in the container, then closes them; a real
     * server keeps the connection open.
     */
    static final Duration TCP_HANGUP_WINDOW = Duration.ofMillis(50);

    private HealthProbes() {}

    /** Healthy on any 2xx or 3xx answer to {@code GET url}. */
    public static HealthStatus http(String url, Duration timeout) {
        HttpURLConnection connection = null;
        boolean connected = false;
        try {
            connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setInstanceFollowRedirects(false);
            // Connect on its own, so a timeout is known to be the connect's or the answer's by where it
            // is thrown, not by the JDK's wording of it.
            connection.connect();
            connected = true;
            int status = connection.getResponseCode();
            drain(connection);
            return status >= 200 && status < 400
                    ? HealthStatus.ok("HTTP " + status + " from " + url)
                    : HealthStatus.notYet("HTTP " + status + " from " + url);
        } catch (IOException | IllegalArgumentException e) {
            String detail = "GET " + url + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage());
            return !connected && connectFailure(e)
                    ? HealthStatus.unreachable(dialled(url), detail)
                    : HealthStatus.notYet(detail);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static void drain(HttpURLConnection connection) {
        try (InputStream body =
                connection.getResponseCode() < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (body != null) {
                body.readNBytes(64 * 1024);
            }
        } catch (IOException ignored) {
            // The status was all we needed.
        }
    }

    /** Healthy when a TCP connection is accepted and not hung up on at once. */
    public static HealthStatus tcp(String host, int port, Duration timeout) {
        boolean connected = false;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            connected = true;
            socket.setSoTimeout((int) TCP_HANGUP_WINDOW.toMillis());
            try {
                if (socket.getInputStream().read() == -1) {
                    return HealthStatus.notYet("TCP " + host + ":" + port + " accepted and closed at once: "
                            + "nothing listens in the container yet");
                }
            } catch (SocketTimeoutException quiet) {
                // Connection held open without data: a listening server.
            }
            return HealthStatus.ok("TCP " + host + ":" + port + " accepts connections");
        } catch (IOException e) {
            String detail = "TCP " + host + ":" + port + ": " + e.getMessage();
            return !connected && connectFailure(e)
                    ? HealthStatus.unreachable(PortSpec.hostAndPort(host, port), detail)
                    : HealthStatus.notYet(detail);
        }
    }

    /**
     * Nothing answered at the address: refused, no route, unknown host, or no answer to the connect
     * (callers ask only about failures of the connect itself).
     */
    private static boolean connectFailure(Exception e) {
        return e instanceof java.net.ConnectException
                || e instanceof java.net.NoRouteToHostException
                || e instanceof java.net.UnknownHostException
                || e instanceof SocketTimeoutException;
    }

    /** {@code host:port} of an http URL, the scheme's port when it names none. */
    private static String dialled(String url) {
        try {
            URI uri = URI.create(url);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            String host = uri.getHost() == null ? "" : uri.getHost().replaceAll("^\\[|]$", "");
            return PortSpec.hostAndPort(host, port);
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /** Healthy when {@code argv} exits 0 inside the container. */
    public static HealthStatus command(
            ContainerBackend backend, String containerId, List<String> argv, Duration timeout)
            throws CleanroomException {
        ExecResult result = backend.exec(containerId, ExecRequest.of(argv, timeout));
        if (result.timedOut()) {
            return HealthStatus.notYet(argv + " timed out after " + timeout.toMillis() + " ms");
        }
        if (result.exitCode() == 0) {
            return HealthStatus.ok(argv + " exited 0");
        }
        String output = (result.stdout() + result.stderr()).strip();
        return HealthStatus.notYet(argv + " exited " + result.exitCode()
                + (output.isEmpty() ? "" : ": " + output.substring(Math.max(0, output.length() - 200))));
    }

    /**
     * Healthy once a line of the container's output, since it started, matches {@code pattern}.
     * Matching one line at a time, each bounded by {@code startTimeout}: see
     * {@link ContainerBackend#watchLog}. Throws (the start fails at once) when the pattern could
     * not finish matching a line within {@code startTimeout}.
     */
    public static HealthStatus log(ContainerBackend backend, String containerId, Pattern pattern, Duration startTimeout)
            throws CleanroomException {
        return backend.watchLog(containerId, pattern, startTimeout).status();
    }

    /**
     * As {@link #log(ContainerBackend, String, Pattern, Duration)} with the default start timeout
     * (60 s) as the bound of matching.
     */
    public static HealthStatus log(ContainerBackend backend, String containerId, Pattern pattern)
            throws CleanroomException {
        return log(backend, containerId, pattern, WaitPolicy.DEFAULT.timeout());
    }

    /** What a log check says once it matched. */
    public static HealthStatus logMatched(Pattern pattern) {
        return HealthStatus.ok("log matched /" + pattern.pattern() + "/");
    }

    /** What a log check says while no line matched. */
    public static HealthStatus noLogMatch(Pattern pattern) {
        return HealthStatus.notYet("no log line matches /" + pattern.pattern() + "/ yet");
    }

    /** Why a log check failed the start: its pattern backtracked past the start timeout. */
    public static String logTooSlow(Pattern pattern, Duration limit) {
        return BoundedRegex.tooSlowMessage("health.log", pattern, dev.cleanroom.engine.spi.Durations.format(limit));
    }
}
