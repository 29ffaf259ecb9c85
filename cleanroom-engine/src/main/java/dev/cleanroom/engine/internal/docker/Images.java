package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.internal.ImageInfo;
import dev.cleanroom.engine.internal.docker.DaemonFailures.Call;
import dev.cleanroom.engine.spi.CleanroomException;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/** Images: what the daemon has under a reference, and pulls with the credentials found for them. */
final class Images {

    private final DockerApi api;
    private final EngineLog log;
    private final RegistryAuthLocator registryAuth;

    Images(DockerApi api, EngineLog log, RegistryAuthLocator registryAuth) {
        this.api = api;
        this.log = log;
        this.registryAuth = registryAuth;
    }

    /** Pulls {@code image} when the daemon does not have it. */
    void ensure(String image) throws CleanroomException {
        if (inspect(image).isPresent()) {
            return;
        }
        log.info("Pulling image " + image);
        pull(image, line -> log.info("Pulling " + image + ": " + line));
    }

    Optional<ImageInfo> inspect(String image) throws CleanroomException {
        try {
            return Optional.of(ImageInspect.of(api.callForObject("GET", "/images/" + image + "/json", null)));
        } catch (IOException e) {
            if (DaemonFailures.notFound(e)) {
                return Optional.empty();
            }
            throw DaemonFailures.failure(
                    "Could not inspect image " + image + ": " + DaemonFailures.said(e), e, Call.IMAGE);
        }
    }

    ImageInfo pull(String image, Consumer<String> progress) throws CleanroomException {
        RegistryAuthLocator.Lookup credentials = registryAuth.lookup(image);
        credentials.problems().forEach(problem -> log.warn("Registry credentials for " + image + ": " + problem));
        credentials.credentials().ifPresent(found -> log.info("Credentials for " + image + ": " + found.source()));
        try {
            ImagePull.pull(api, image, credentials, progress);
        } catch (RegistryAccessDeniedException e) {
            throw DaemonFailures.failure(e.getMessage(), e, Call.PULL);
        } catch (IOException e) {
            if (DaemonFailures.interrupted(e)) {
                Thread.currentThread().interrupt();
                throw DaemonFailures.failure("Interrupted while pulling image " + image, e, Call.PULL);
            }
            throw DaemonFailures.failure(
                    "Image \"" + image + "\" is not present locally and could not be pulled ("
                            + DaemonFailures.said(e) + "). Perhaps you should check the name and tag, or build or "
                            + "load the image first (docker images lists what this daemon has).",
                    e,
                    Call.PULL);
        }
        return inspect(image)
                .orElseThrow(() -> new CleanroomException(
                        CleanroomException.Reason.IMAGE_MISSING,
                        "Image \"" + image
                                + "\" was pulled but the Docker daemon does not list it. Perhaps you should pull "
                                + "it by hand: docker pull " + image));
    }
}
