package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.internal.ContainerRuntime.LabeledResource;
import dev.cleanroom.engine.spi.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answers of {@code GET /containers/json} and {@code GET /networks} as labelled resources. */
final class Listings {

    private Listings() {}

    static List<LabeledResource> containers(Object answer) {
        return Json.objectsOf(answer).stream()
                .map(container -> {
                    String id = Json.string(container, "Id").orElse("");
                    // Names come with a leading slash ("/clnrm-web"); a container has at least one.
                    String name = container.get("Names") instanceof List<?> names && !names.isEmpty()
                            ? String.valueOf(names.get(0)).replaceFirst("^/", "")
                            : id;
                    return new LabeledResource(id, name, labels(container));
                })
                .toList();
    }

    static List<LabeledResource> networks(Object answer) {
        return Json.objectsOf(answer).stream()
                .map(network -> new LabeledResource(
                        Json.string(network, "Id").orElse(""),
                        Json.string(network, "Name").orElse(""),
                        labels(network)))
                .toList();
    }

    /** The {@code Id} of what a create call made. */
    static String createdId(Map<String, Object> created) throws java.io.IOException {
        return Json.string(created, "Id")
                .orElseThrow(
                        () -> new java.io.IOException("the Docker daemon's answer has no Id: " + Json.write(created)));
    }

    private static Map<String, String> labels(Map<String, Object> resource) {
        Map<String, String> labels = new LinkedHashMap<>();
        Json.object(resource, "Labels").forEach((key, value) -> labels.put(key, String.valueOf(value)));
        return labels;
    }
}
