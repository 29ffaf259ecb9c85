package dev.cleanroom.plugins.ollama;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.plugins.modelserver.ServerHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The two Ollama calls the plugin makes: list models (GET /api/tags) and pull one (POST /api/pull). */
final class OllamaApi {

    /** No progress line for this long means the pull hangs. */
    static final Duration STALL_TIMEOUT = Duration.ofMinutes(2);

    private static final Duration SHORT = Duration.ofSeconds(10);

    private final String url;

    OllamaApi(String url) {
        this.url = url;
    }

    /** "llama2" is listed as "llama2:latest". */
    static String fullName(String model) {
        String last = model.substring(model.lastIndexOf('/') + 1);
        return last.contains(":") ? model : model + ":latest";
    }

    List<String> models() throws CleanroomException {
        ServerHttp.Answer answer;
        try {
            answer = ServerHttp.get(url + "/api/tags", SHORT);
        } catch (IOException e) {
            throw new CleanroomException("GET " + url + "/api/tags failed: " + e, e);
        }
        if (!answer.ok()) {
            throw new CleanroomException(
                    "GET " + url + "/api/tags answered HTTP " + answer.status() + ": " + errorOf(answer.body()));
        }
        Map<String, Object> body = Json.object(answer.body())
                .orElseThrow(() -> new CleanroomException(
                        "GET " + url + "/api/tags answered something that is not a JSON object: " + answer.body()));
        return Json.objects(body, "models").stream()
                .map(m ->
                        Json.string(m, "name").or(() -> Json.string(m, "model")).orElse(""))
                .filter(name -> !name.isEmpty())
                .toList();
    }

    boolean lists(String model) throws CleanroomException {
        return models().contains(fullName(model));
    }

    /**
     * Pulls {@code model}, feeding every progress line to {@code progress}; an error object from the
     * server fails with the server's message.
     */
    void pull(String model, Duration timeout, PullProgress progress) throws CleanroomException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpURLConnection connection = null;
        try {
            connection =
                    (HttpURLConnection) URI.create(url + "/api/pull").toURL().openConnection();
            connection.setConnectTimeout((int) SHORT.toMillis());
            connection.setReadTimeout((int) Math.min(STALL_TIMEOUT.toMillis(), timeout.toMillis()));
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection
                    .getOutputStream()
                    .write(("{\"model\":" + Json.quote(model) + ",\"stream\":true}").getBytes(StandardCharsets.UTF_8));
            int status = connection.getResponseCode();
            if (status >= 400) {
                String body = read(connection.getErrorStream());
                throw pullFailed(model, errorOf(body) + " (HTTP " + status + ")");
            }
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Map<String, Object> event = Json.object(line)
                            .orElseThrow(() -> new CleanroomException(
                                    "Ollama answered the pull of \"" + model + "\" with a line that is not JSON"));
                    Optional<String> error = Json.string(event, "error");
                    if (error.isPresent()) {
                        throw pullFailed(model, error.get());
                    }
                    String what = Json.string(event, "status").orElse("");
                    progress.accept(
                            what,
                            Json.number(event, "total").orElse(0L),
                            Json.number(event, "completed").orElse(0L));
                    if (what.equals("success")) {
                        progress.finished();
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new CleanroomException(
                                "The pull of model \"" + model + "\" did not finish within " + timeout.toMinutes()
                                        + " min. Perhaps you should raise pull_timeout, or use a smaller model.");
                    }
                }
            }
            throw new CleanroomException("Ollama ended the pull of model \"" + model + "\" without reporting success");
        } catch (SocketTimeoutException e) {
            throw new CleanroomException(
                    "The pull of model \"" + model + "\" stalled: Ollama sent no progress for "
                            + STALL_TIMEOUT.toMinutes() + " min",
                    e);
        } catch (IOException e) {
            throw new CleanroomException("POST " + url + "/api/pull failed: " + e, e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static CleanroomException pullFailed(String model, String serverMessage) {
        return new CleanroomException("Ollama could not pull model \"" + model + "\": " + serverMessage
                + ". Perhaps you should check the model name (https://ollama.com/library lists them).");
    }

    /** The "error" of an Ollama error body, or the body itself. */
    static String errorOf(String body) {
        return Json.object(body).flatMap(o -> Json.string(o, "error")).orElse(body.strip());
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
    }
}
