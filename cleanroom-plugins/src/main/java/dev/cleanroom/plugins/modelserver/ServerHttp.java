package dev.cleanroom.plugins.modelserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One short HTTP exchange with a model server, for health checks and model lists. */
public final class ServerHttp {

    private ServerHttp() {}

    /** Status and body (at most 1 MB) of one answer. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public static Answer get(String url, Duration timeout) throws IOException {
        return exchange("GET", url, null, timeout);
    }

    public static Answer post(String url, String json, Duration timeout) throws IOException {
        return exchange("POST", url, json, timeout);
    }

    private static Answer exchange(String method, String url, String json, Duration timeout) throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setRequestMethod(method);
            if (json != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                connection.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                String text = body == null ? "" : new String(body.readNBytes(1 << 20), StandardCharsets.UTF_8);
                return new Answer(status, text);
            }
        } finally {
            connection.disconnect();
        }
    }
}
