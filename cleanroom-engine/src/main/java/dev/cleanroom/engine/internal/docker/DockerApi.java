package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.Json;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Docker Engine API over a {@link DockerTransport}, at one agreed API version, with JSON as
 * {@link Json} maps and lists. Paths are given without the version prefix
 * ({@code /containers/create}); error statuses become {@link DockerApiException} carrying the
 * daemon's message.
 */
public final class DockerApi implements Closeable {

    /** A JSON answer larger than this is not one the Docker API gives for our calls. */
    private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

    private final DockerTransport transport;
    private final String versionPrefix;

    public DockerApi(DockerTransport transport, String apiVersion) {
        this.transport = transport;
        this.versionPrefix = "/v" + apiVersion;
    }

    public static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A {@code filters} query value selecting by one label key. */
    public static String labelFilter(String labelKey) {
        return query(Json.write(Map.of("label", List.of(labelKey))));
    }

    public String host() {
        return transport.host();
    }

    /** Sends a request and reads its whole JSON answer; an empty body reads as null. */
    public Object call(String method, String path, Object body) throws IOException {
        return call(method, path, body, DockerTimeouts.ORDINARY);
    }

    /** As {@link #call(String, String, Object)}, for a call that may wait {@code idleTimeout} on purpose. */
    public Object call(String method, String path, Object body, Duration idleTimeout) throws IOException {
        try (DockerTransport.Exchange exchange = open(method, path, Map.of(), body, idleTimeout)) {
            byte[] answer = exchange.body().readNBytes(MAX_ANSWER_BYTES);
            if (answer.length == 0) {
                return null;
            }
            try {
                return Json.parse(new String(answer, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        "the Docker daemon answered " + method + " " + path + " with " + e.getMessage(), e);
            }
        }
    }

    /** As {@link #call}, for answers that are one JSON object (an empty map when not). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> callForObject(String method, String path, Object body) throws IOException {
        return call(method, path, body) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** Sends a request whose answer is a stream; the caller reads and closes it. */
    public DockerTransport.Exchange open(String method, String path, Map<String, String> headers, Object body)
            throws IOException {
        return open(method, path, headers, body, DockerTimeouts.ORDINARY);
    }

    /**
     * As {@link #open(String, String, Map, Object)}, failing when the daemon sends nothing for
     * {@code idleTimeout} (see {@link DockerTimeouts}; zero: no bound).
     */
    public DockerTransport.Exchange open(
            String method, String path, Map<String, String> headers, Object body, Duration idleTimeout)
            throws IOException {
        byte[] bytes = body == null ? null : Json.write(body).getBytes(StandardCharsets.UTF_8);
        DockerTransport.Exchange exchange =
                transport.exchange(method, versionPrefix + path, headers, bytes, idleTimeout);
        if (exchange.status() >= 400) {
            try (exchange) {
                throw new DockerApiException(exchange.status(), daemonMessage(exchange.body()));
            }
        }
        return exchange;
    }

    /** Docker's errors are {@code {"message": "..."}}; anything else is shown as it came. */
    private static String daemonMessage(InputStream body) throws IOException {
        String text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
        return Json.object(text).flatMap(error -> Json.string(error, "message")).orElse(text);
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
