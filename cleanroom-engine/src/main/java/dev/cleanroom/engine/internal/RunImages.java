package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.CleanroomException;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.PullPolicy;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.spi.ServiceFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The images of one run, as the pull policy wants them: checked before any container starts
 * ({@code never}), and the image each container is created from.
 */
final class RunImages {

    private final ContainerRuntime runtime;
    private final EngineLog log;
    private final ImageOptions options;
    private final String fileName;
    /** Inspections by image, so a run asks the daemon once per image. */
    private final Map<String, Optional<ImageInfo>> inspected = new ConcurrentHashMap<>();

    RunImages(ContainerRuntime runtime, ImageOptions options, EngineLog log, TestFile file) {
        this.runtime = runtime;
        this.options = options;
        this.log = log;
        this.fileName = String.valueOf(file.path().getFileName());
    }

    /** The policy of one service: the build's setting wins over the file's, which wins over the default. */
    PullPolicy policyOf(ServiceConfig config) {
        return options.pull().or(config::pullPolicy).orElse(PullPolicy.MISSING);
    }

    /**
     * Fails, naming every image the daemon lacks, when a service that may not pull lacks one:
     * before any network or container, so a run that cannot start creates nothing.
     */
    void checkBeforeStart(TestFile file, ServiceFactory factory) throws CleanroomException {
        Map<String, String> missing = new LinkedHashMap<>();
        boolean fromBuild = options.pull().isPresent();
        for (ServiceConfig config : file.services().values()) {
            if (policyOf(config) != PullPolicy.NEVER) {
                continue;
            }
            List<String> declared = factory.plugin(config.type()).map(p -> p.images(config)).orElse(List.of());
            for (String image : declared) {
                if (!image.isBlank() && inspect(image).isEmpty()) {
                    missing.putIfAbsent(image, config.name());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw neverPulled(missing, fromBuild);
        }
    }

    /** The image to create {@code service}'s container of, fetched as its policy says. */
    String forContainer(String image, String service, PullPolicy policy) throws CleanroomException {
        if (policy == PullPolicy.NEVER && inspect(image).isEmpty()) {
            throw neverPulled(Map.of(image, service), options.pull().isPresent());
        }
        return image;
    }

    private Optional<ImageInfo> inspect(String image) throws CleanroomException {
        Optional<ImageInfo> known = inspected.get(image);
        if (known != null) {
            return known;
        }
        Optional<ImageInfo> now = runtime.inspectImage(image);
        inspected.put(image, now);
        return now;
    }

    private CleanroomException neverPulled(Map<String, String> missing, boolean fromBuild) {
        String images = missing.entrySet().stream().map(e -> e.getKey() + " (service " + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        boolean one = missing.size() == 1;
        String setting = fromBuild ? "cleanroom.pull = \"never\" (the build's setting)"
                : "pull = \"never\" (" + fileName + ")";
        String pullFirst = one ? "docker pull " + missing.keySet().iterator().next() : "docker pull for each";
        String relax = fromBuild ? "drop -Dcleanroom.pull=never" : "set pull = \"missing\"";
        return new CleanroomException("The Docker daemon does not have image" + (one ? " " : "s ") + images + ", and "
                + setting + " forbids pulling " + (one ? "it" : "them") + "; no container was started. Perhaps you "
                + "should pull " + (one ? "it" : "them") + " first (mvn cleanroom:pull, or " + pullFirst + "), or "
                + relax + ".");
    }
}
