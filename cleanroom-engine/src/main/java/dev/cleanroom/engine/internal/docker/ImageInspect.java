package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.internal.ImageInfo;
import dev.cleanroom.engine.spi.Json;
import java.util.List;
import java.util.Map;

/** What {@code GET /images/{name}/json} says that we use: the image id and the digests it was pulled by. */
final class ImageInspect {

    private ImageInspect() {}

    static ImageInfo of(Map<String, Object> inspected) {
        List<String> digests = inspected.get("RepoDigests") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
        return new ImageInfo(Json.string(inspected, "Id").orElse(""), digests);
    }
}
