package dev.cleanroom.engine.api;

import dev.cleanroom.engine.spi.ServiceHandle;
import java.time.Duration;

/** A service that started and passed its health check, with how long that took. */
public record StartedService(String name, String type, String image, ServiceHandle handle, Duration startDuration) {
}
