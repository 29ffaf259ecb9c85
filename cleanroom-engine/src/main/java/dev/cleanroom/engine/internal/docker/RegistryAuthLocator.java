package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.api.RegistryLogin;
import dev.cleanroom.engine.internal.DaemonDiscovery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where a pull's registry credentials come from. Not written yet: finds none. */
public final class RegistryAuthLocator {

    public RegistryAuthLocator(DaemonDiscovery.Environment environment, Map<String, RegistryLogin> settingsServers,
            Duration helperTimeout) {
    }

    public Lookup lookup(String image) {
        return new Lookup(image, image, Optional.empty(), List.of());
    }

    public record Lookup(String image, String registry, Optional<Object> credentials, List<String> problems) {
        public String source() {
            return "";
        }

        public Map<String, String> header() {
            return Map.of();
        }
    }
}
