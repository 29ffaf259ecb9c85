package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code GET /networks/{id}} says that we use: the containers attached, their names by id. */
record NetworkInspect(Map<String, String> attached) {

    NetworkInspect {
        attached = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attached));
    }

    static NetworkInspect of(Map<String, Object> inspected) {
        Map<String, String> attached = new LinkedHashMap<>();
        Json.object(inspected, "Containers")
                .forEach((id, endpoint) -> attached.put(
                        id,
                        endpoint instanceof Map<?, ?>
                                ? Json.string(Json.object(Map.of("e", endpoint), "e"), "Name")
                                        .orElse("")
                                : ""));
        return new NetworkInspect(attached);
    }
}
