package dev.cleanroom.engine.internal.docker;

import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import dev.cleanroom.engine.spi.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pulls an image, with the registry credentials the docker CLI would use.
 *
 * <p>Pulling is rare (images are usually present) and slow (a download), so this is the one place
 * that loads docker-java's configuration classes: they read {@code ~/.docker/config.json} and
 * credential helpers the way the CLI does, which we should not redo.
 */
public final class ImagePull {

    private ImagePull() {
    }

    /** Pulls {@code image} and reads the progress to its end; an error in the stream fails the pull. */
    public static void pull(DockerApi api, String image) throws IOException {
        pull(api, image, line -> { });
    }

    /**
     * As {@link #pull(DockerApi, String)}, passing each step of the progress worth a line to
     * {@code progress} ({@code "a1b2c3: Pull complete"}, {@code "Digest: sha256:..."}); the
     * byte counts of downloads and extractions are left out, they would flood a build log.
     */
    public static void pull(DockerApi api, String image, java.util.function.Consumer<String> progress)
            throws IOException {
        String path = "/images/create?fromImage=" + DockerApi.query(repository(image)) + "&tag="
                + DockerApi.query(tagOrDigest(image));
        java.util.function.Consumer<String> lineOut = progress;
        try (DockerTransport.Exchange stream = api.open("POST", path, credentials(image), null,
                DockerTimeouts.PULL_IDLE)) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Optional<String> error = Json.object(line).flatMap(event -> Json.string(event, "error"));
                if (error.isPresent()) {
                    throw new DockerApiException(stream.status(), error.get());
                }
                Json.object(line).flatMap(ImagePull::progressLine).ifPresent(lineOut);
            }
        }
    }

    /** A progress event as a log line, or empty for byte counts ("Downloading", "Extracting") and waits. */
    static Optional<String> progressLine(Map<String, Object> event) {
        Optional<String> status = Json.string(event, "status");
        if (status.isEmpty() || event.get("progressDetail") instanceof Map<?, ?> detail && !detail.isEmpty()
                || status.get().equals("Waiting") || status.get().equals("Pulling fs layer")) {
            return Optional.empty();
        }
        return Optional.of(Json.string(event, "id").map(id -> id + ": ").orElse("") + status.get());
    }

    /** The reference without its tag or digest; a registry's port is not a tag. */
    static String repository(String image) {
        int digest = image.indexOf('@');
        if (digest >= 0) {
            return image.substring(0, digest);
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    /** The tag or digest to pull; {@code latest} when the reference names neither, as the CLI does. */
    static String tagOrDigest(String image) {
        int digest = image.indexOf('@');
        if (digest >= 0) {
            return image.substring(digest + 1);
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    }

    private static Map<String, String> credentials(String image) {
        try {
            AuthConfig auth = DefaultDockerClientConfig.createDefaultConfigBuilder().build().effectiveAuthConfig(image);
            if (auth == null) {
                return Map.of();
            }
            Map<String, Object> header = new LinkedHashMap<>();
            putIfSet(header, "username", auth.getUsername());
            putIfSet(header, "password", auth.getPassword());
            putIfSet(header, "auth", auth.getAuth());
            putIfSet(header, "email", auth.getEmail());
            putIfSet(header, "serveraddress", auth.getRegistryAddress());
            putIfSet(header, "identitytoken", auth.getIdentitytoken());
            putIfSet(header, "registrytoken", auth.getRegistrytoken());
            return Map.of("X-Registry-Auth", Base64.getUrlEncoder().encodeToString(
                    Json.write(header).getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            // No readable credentials: pull anonymously, as the CLI does; the registry says if that is refused.
            return Map.of();
        }
    }

    private static void putIfSet(Map<String, Object> header, String key, String value) {
        if (value != null && !value.isEmpty()) {
            header.put(key, value);
        }
    }
}
