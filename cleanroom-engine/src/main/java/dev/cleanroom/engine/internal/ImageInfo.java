package dev.cleanroom.engine.internal;

import java.util.List;

/**
 * An image as the daemon has it: its id ({@code sha256:...} of its config) and the registry
 * digests it was pulled by ({@code repo@sha256:...}; none for a local build).
 */
public record ImageInfo(String id, List<String> repoDigests) {

    public ImageInfo {
        repoDigests = List.copyOf(repoDigests);
    }

    /**
     * What pins {@code image}: the registry digest of its repository (the first when it came from
     * several), else the image id, which is all a local build has.
     */
    public String digest(String image) {
        String repository = ImageName.repository(image);
        return repoDigests.stream()
                .filter(d -> d.startsWith(repository + "@"))
                .findFirst()
                .or(() -> repoDigests.stream().findFirst())
                .map(d -> d.substring(d.indexOf('@') + 1))
                .orElse(id);
    }
}
