package dev.cleanroom.engine.internal.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Docker Engine API as JSON trees over a {@link DockerTransport}, at one agreed API version.
 * Paths are given without the version prefix ({@code /containers/create}); error statuses become
 * {@link DockerApiException} carrying the daemon's message.
 */
public final class DockerApi implements java.io.Closeable {

    /** A JSON answer larger than this is not one the Docker API gives for our calls. */
    private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DockerTransport transport;
    private final String versionPrefix;

    public DockerApi(DockerTransport transport, String apiVersion) {
        this.transport = transport;
        this.versionPrefix = "/v" + apiVersion;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A {@code filters} query value selecting by one label key. */
    public static String labelFilter(String labelKey) {
        return query(object().set("label", MAPPER.createArrayNode().add(labelKey)).toString());
    }

    public String host() {
        return transport.host();
    }

    /** Sends a request and reads its whole JSON answer (a missing node for an empty body). */
    public JsonNode call(String method, String path, JsonNode body) throws IOException {
        try (DockerTransport.Exchange exchange = open(method, path, Map.of(), body)) {
            byte[] answer = exchange.body().readNBytes(MAX_ANSWER_BYTES);
            return answer.length == 0 ? MAPPER.missingNode() : MAPPER.readTree(answer);
        }
    }

    /** Sends a request whose answer is a stream; the caller reads and closes it. */
    public DockerTransport.Exchange open(String method, String path, Map<String, String> headers, JsonNode body)
            throws IOException {
        byte[] bytes = body == null ? null : MAPPER.writeValueAsBytes(body);
        DockerTransport.Exchange exchange = transport.exchange(method, versionPrefix + path, headers, bytes);
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
        try {
            JsonNode message = MAPPER.readTree(text).path("message");
            return message.isTextual() ? message.asText() : text;
        } catch (IOException e) {
            return text;
        }
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }

    public static JsonNode parse(String line) throws IOException {
        return MAPPER.readTree(line);
    }

    public static byte[] json(Object value) throws IOException {
        return MAPPER.writeValueAsBytes(value);
    }
}
