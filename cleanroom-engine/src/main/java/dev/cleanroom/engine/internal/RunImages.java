package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.PullPolicy;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.spi.CleanroomException;
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
    /** The image each named image is created of (itself, or its mirror's name). */
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    private final Map<String, Object> pullLocks = new ConcurrentHashMap<>();
    private final java.util.Set<String> pulled = ConcurrentHashMap.newKeySet();

    RunImages(ContainerRuntime runtime, ImageOptions options, EngineLog log, TestFile file) {
        this(runtime, options, log, String.valueOf(file.path().getFileName()));
    }

    RunImages(ContainerRuntime runtime, ImageOptions options, EngineLog log, String fileName) {
        this.runtime = runtime;
        this.options = options;
        this.log = log;
        this.fileName = fileName;
    }

    /** The policy of one service: the build's setting wins over the file's, which wins over the default. */
    PullPolicy policyOf(ServiceConfig config) {
        return options.pull().or(config::pullPolicy).orElse(PullPolicy.MISSING);
    }

    /**
     * Fails, naming every image the daemon lacks, when a service that may not pull lacks one:
     * before any network or container, so a run that cannot start creates nothing.
     */
    void checkBeforeStart(TestFile file) throws CleanroomException {
        Map<String, String> missing = new LinkedHashMap<>();
        boolean fromBuild = options.pull().isPresent();
        for (ServiceConfig config : file.services().values()) {
            if (policyOf(config) != PullPolicy.NEVER) {
                continue;
            }
            List<String> declared = config.definition().images();
            for (String image : declared) {
                String chosen = image.isBlank() ? image : resolve(image);
                if (!chosen.isBlank() && inspect(chosen).isEmpty()) {
                    missing.putIfAbsent(chosen, config.name());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw neverPulled(missing, fromBuild, "; no container was started");
        }
    }

    /** The image to create {@code service}'s container of, fetched as its policy says. */
    String forContainer(String image, String service, PullPolicy policy) throws CleanroomException {
        String chosen = resolve(image);
        if (policy == PullPolicy.NEVER && inspect(chosen).isEmpty()) {
            throw neverPulled(Map.of(chosen, service), options.pull().isPresent(), "");
        }
        if (policy == PullPolicy.ALWAYS) {
            pullOnce(chosen, " (pull = \"always\")");
        }
        // MISSING: the runtime pulls when the create says the image is not there, which costs nothing when it is.
        return chosen;
    }

    /**
     * The name to create a container of: a Docker Hub image the daemon lacks comes from the
     * mirror, if the build has one; an image the daemon has under its own name (a local build,
     * a fixture, Podman's {@code localhost/...}) is used as it is.
     */
    synchronized String resolve(String image) throws CleanroomException {
        String known = resolved.get(image);
        if (known != null) {
            return known;
        }
        String chosen = image;
        if (options.mirror().isPresent()
                && !ImageName.hasRegistry(image)
                && inspect(image).isEmpty()) {
            chosen = ImageName.mirrored(options.mirror().get(), image);
            log.info("Image " + image + " comes from the registry mirror as " + chosen);
        }
        resolved.put(image, chosen);
        return chosen;
    }

    /** Pulls an image once per run however many services use it, and says whether its digest moved. */
    ImageInfo pullOnce(String image, String why) throws CleanroomException {
        synchronized (pullLocks.computeIfAbsent(image, k -> new Object())) {
            if (pulled.contains(image)) {
                return inspected.get(image).orElseThrow();
            }
            Optional<String> before = runtime.inspectImage(image).map(info -> info.digest(image));
            log.info("Pulling image " + image + why);
            ImageInfo after = runtime.pullImage(image, line -> log.info("Pulling " + image + ": " + line));
            String now = after.digest(image);
            log.info("Pulled image " + image + ": "
                    + before.map(old -> old.equals(now)
                                    ? "digest unchanged (" + now + ")"
                                    : "digest changed " + old + " → " + now)
                            .orElse("digest " + now + " (new on this daemon)"));
            inspected.put(image, Optional.of(after));
            pulled.add(image);
            return after;
        }
    }

    /** What pins the image a container was created of; empty when the daemon cannot say. */
    String digestOf(String image) {
        try {
            return runtime.inspectImage(image).map(info -> info.digest(image)).orElse("");
        } catch (CleanroomException e) {
            log.debug("Could not read the digest of image " + image + ": " + e.getMessage());
            return "";
        }
    }

    Optional<ImageInfo> inspect(String image) throws CleanroomException {
        Optional<ImageInfo> known = inspected.get(image);
        if (known != null) {
            return known;
        }
        Optional<ImageInfo> now = runtime.inspectImage(image);
        inspected.put(image, now);
        return now;
    }

    /** {@code outcome}: what it means for the run, when that is known ("; no container was started"). */
    private CleanroomException neverPulled(Map<String, String> missing, boolean fromBuild, String outcome) {
        String images = missing.entrySet().stream()
                .map(e -> e.getKey() + " (service " + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        boolean one = missing.size() == 1;
        String setting =
                fromBuild ? "cleanroom.pull = \"never\" (the build's setting)" : "pull = \"never\" (" + fileName + ")";
        String pullFirst = one ? "docker pull " + missing.keySet().iterator().next() : "docker pull for each";
        String relax = fromBuild ? "drop -Dcleanroom.pull=never" : "set pull = \"missing\"";
        return new CleanroomException("The Docker daemon does not have image" + (one ? " " : "s ") + images + ", and "
                + setting + " forbids pulling " + (one ? "it" : "them") + outcome + ". Perhaps you "
                + "should pull " + (one ? "it" : "them") + " first (mvn cleanroom:pull, or " + pullFirst + "), or "
                + relax + ".");
    }
}
