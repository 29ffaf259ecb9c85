package dev.cleanroom.engine.api;

import dev.cleanroom.engine.spi.ServiceHandle;
import java.time.Duration;

/**
 * A service that started and passed its health check, with how long that took and what pins its
 * image: the registry digest ({@code sha256:...}), else the image id for an image built locally
 * (empty when the daemon could not say).
 */
public record StartedService(
        String name, String type, String image, ServiceHandle handle, Duration startDuration, String imageDigest) {

    public StartedService(String name, String type, String image, ServiceHandle handle, Duration startDuration) {
        this(name, type, image, handle, startDuration, "");
    }
}
