package dev.cleanroom.plugins.surrealdb;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of SurrealDB's HTTP interface the plugin uses: {@code GET /version},
 * {@code POST /signin} and {@code POST /sql}. One instance per service start; not for tests'
 * queries (they use their own client against the exported {@code url}).
 */
final class SurrealDbClient {

    /** One statement's answer: {@code OK} with its result, or {@code ERR} with the server's message. */
    record Result(boolean ok, Object result) {

        String message() {
            return String.valueOf(result);
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private String authorization;

    SurrealDbClient(String url) {
        this.url = url;
    }

    /** The body of {@code GET /version}, e.g. {@code surrealdb-2.3.7}. */
    String version() throws CleanroomException {
        HttpResponse<String> answer =
                send(HttpRequest.newBuilder(URI.create(url + "/version")).GET(), "GET /version");
        if (answer.statusCode() != 200) {
            throw new CleanroomException("GET " + url + "/version answered HTTP " + answer.statusCode());
        }
        return answer.body().strip();
    }

    /**
     * Signs in as a root user; later queries use the token it returns (or the credentials, should
     * the server not return one).
     *
     * @throws CleanroomException naming the user and the server's reason, never the password
     */
    void signIn(String user, String pass) throws CleanroomException {
        String body = "{\"user\":" + Json.quote(user) + ",\"pass\":" + Json.quote(pass) + "}";
        HttpResponse<String> answer = send(
                HttpRequest.newBuilder(URI.create(url + "/signin"))
                        .header("Accept", "application/json")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                "POST /signin");
        if (answer.statusCode() != 200) {
            throw new CleanroomException("SurrealDB refused the sign-in of user \"" + user + "\" with the password of "
                    + "auth.pass (HTTP " + answer.statusCode() + reason(answer.body()) + "). Perhaps you should check "
                    + "auth.user and auth.pass: they must name the server's root user and its password");
        }
        Optional<String> token = objectOf(answer.body())
                .map(o -> o.get("token"))
                .filter(String.class::isInstance)
                .map(String.class::cast);
        authorization = token.map(t -> "Bearer " + t)
                .orElseGet(() -> "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Runs {@code query} and returns one result per statement.
     *
     * @param major selects the namespace headers: {@code NS}/{@code DB} before 2.0
     * @throws Refused when the server refuses the whole query (it does not parse, say)
     */
    List<Result> sql(String query, Optional<String> namespace, Optional<String> database, int major)
            throws CleanroomException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/sql"))
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(query));
        namespace.ifPresent(ns -> request.header(major >= 2 ? "surreal-ns" : "NS", ns));
        database.ifPresent(db -> request.header(major >= 2 ? "surreal-db" : "DB", db));
        HttpResponse<String> answer = send(request, "POST /sql");
        if (answer.statusCode() != 200) {
            throw new Refused("HTTP " + answer.statusCode() + reason(answer.body()));
        }
        Object parsed;
        try {
            parsed = Json.parse(answer.body());
        } catch (IllegalArgumentException e) {
            throw new CleanroomException("POST " + url + "/sql answered what is not JSON (" + e.getMessage() + "): "
                    + shorten(answer.body()));
        }
        if (!(parsed instanceof List<?> list)) {
            throw new CleanroomException("POST " + url + "/sql answered " + shorten(answer.body())
                    + " instead of a list of statement results");
        }
        List<Result> results = new ArrayList<>();
        for (Object item : list) {
            Map<?, ?> entry = item instanceof Map<?, ?> map ? map : Map.of();
            results.add(new Result("OK".equals(entry.get("status")), entry.get("result")));
        }
        return results;
    }

    /** The whole query was refused; the message is the server's. */
    static final class Refused extends CleanroomException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) throws CleanroomException {
        try {
            return http.send(
                    request.timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CleanroomException(
                    what + " to SurrealDB at " + url + " failed: "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CleanroomException(what + " to SurrealDB at " + url + " was interrupted", e);
        }
    }

    /** ": information" from SurrealDB's error body ({@code code}, {@code details}, {@code information}). */
    private static String reason(String body) {
        Optional<Map<String, Object>> error = objectOf(body);
        Object information = error.map(o -> o.get("information")).orElse(null);
        Object details = error.map(o -> o.get("details")).orElse(null);
        if (information != null) {
            return ": " + information;
        }
        if (details != null) {
            return ": " + details;
        }
        return body.isBlank() ? "" : ": " + shorten(body.strip());
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> objectOf(String body) {
        try {
            Object value = Json.parse(body);
            return value instanceof Map<?, ?> map ? Optional.of((Map<String, Object>) map) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String shorten(String text) {
        return text.length() > 300 ? text.substring(0, 297) + "..." : text;
    }
}
