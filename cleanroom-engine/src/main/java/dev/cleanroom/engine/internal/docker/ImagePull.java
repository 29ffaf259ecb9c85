package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Pulls an image with the registry credentials {@link RegistryAuthLocator} found for it.
 *
 * <p>A refusal by the registry ({@link DaemonFailures#registryRefused}) becomes a
 * {@link RegistryAccessDeniedException} that says which credentials were sent (their source) or
 * where none were found.
 */
public final class ImagePull {

    private ImagePull() {}

    /**
     * Pulls {@code image} with the credentials of {@code credentials} (see
     * {@link RegistryAuthLocator#lookup}) and reads the progress to its end; an error in the stream
     * fails the pull.
     */
    public static void pull(DockerApi api, String image, RegistryAuthLocator.Lookup credentials) throws IOException {
        pull(api, image, credentials, line -> {});
    }

    /**
     * As {@link #pull(DockerApi, String, RegistryAuthLocator.Lookup)}, passing each step of the
     * progress worth a line to {@code progress} ({@code "a1b2c3: Pull complete"},
     * {@code "Digest: sha256:..."}); the byte counts of downloads and extractions are left out,
     * they would flood a build log.
     */
    public static void pull(
            DockerApi api,
            String image,
            RegistryAuthLocator.Lookup credentials,
            java.util.function.Consumer<String> progress)
            throws IOException {
        String path = "/images/create?fromImage=" + DockerApi.query(repository(image)) + "&tag="
                + DockerApi.query(tagOrDigest(image));
        java.util.function.Consumer<String> lineOut = progress;
        try (DockerTransport.Exchange stream =
                api.open("POST", path, credentials.header(), null, DockerTimeouts.PULL_IDLE)) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Optional<String> error = Json.object(line).flatMap(event -> Json.string(event, "error"));
                if (error.isPresent()) {
                    throw new DockerApiException(stream.status(), error.get());
                }
                Json.object(line).flatMap(ImagePull::progressLine).ifPresent(lineOut);
            }
        } catch (DockerApiException e) {
            if (DaemonFailures.registryRefused(e)) {
                throw new RegistryAccessDeniedException(refusal(credentials, e.daemonMessage()), e);
            }
            throw e;
        }
    }

    /** What users read: what was refused, with what, and what to do. */
    static String refusal(RegistryAuthLocator.Lookup credentials, String daemonSaid) {
        String registry = credentials.registry();
        String image = "\"" + credentials.image() + "\"";
        if (credentials.credentials().isPresent()) {
            return "Registry " + registry + " refused to let us pull image " + image + " with the credentials from "
                    + credentials.source() + " (" + daemonSaid + "). Perhaps you should check that they are current "
                    + "and may read this repository (docker login " + registry + " stores new ones), or correct "
                    + "the image name.";
        }
        StringBuilder problems = new StringBuilder();
        credentials.problems().forEach(problem -> problems.append("; ").append(problem));
        return "Registry " + registry + " refused an anonymous pull of image " + image + " (" + daemonSaid + "): "
                + credentials.source() + problems + " (looked in " + credentials.searched() + "). Perhaps you "
                + "should log in (docker login " + registry + "), or add a <server> with the id " + registry
                + " to your settings.xml.";
    }

    /** A progress event as a log line, or empty for byte counts ("Downloading", "Extracting") and waits. */
    static Optional<String> progressLine(Map<String, Object> event) {
        Optional<String> status = Json.string(event, "status");
        if (status.isEmpty()
                || event.get("progressDetail") instanceof Map<?, ?> detail && !detail.isEmpty()
                || status.get().equals("Waiting")
                || status.get().equals("Pulling fs layer")) {
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
}
