package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.PullPolicy;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.spi.CleanroomException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Fetches every image some files need, without starting anything: for a CI job that warms its
 * image cache in one step ({@code cleanroom:pull}), then runs with {@code pull = "never"}.
 */
public final class ImagePrefetch {

    /** Pulls at once: enough to fill a link with a few large images, few enough not to anger a registry. */
    static final int PARALLEL_PULLS = 4;

    private final ContainerRuntime runtime;
    private final EngineLog log;
    private final RunImages images;

    public ImagePrefetch(ContainerRuntime runtime, ImageOptions options, EngineLog log) {
        this.runtime = runtime;
        this.log = log;
        this.images = new RunImages(runtime, options, log, "the build");
    }

    /** Fetches the images as their services' policies say; fails listing every image it could not fetch. */
    public void fetch(List<TestFile> files, ServiceFactory factory) throws CleanroomException {
        Map<String, Wanted> wanted = collect(files, factory);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_PULLS, task -> {
            Thread thread = new Thread(task, "cleanroom-pull");
            thread.setDaemon(true);
            return thread;
        });
        Map<String, String> failures = new LinkedHashMap<>();
        AtomicInteger pulled = new AtomicInteger();
        try {
            Map<String, CompletableFuture<Optional<String>>> outcomes = new LinkedHashMap<>();
            wanted.forEach((image, want) -> outcomes.put(
                    image,
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    if (fetchOne(image, want)) {
                                        pulled.incrementAndGet();
                                    }
                                    return Optional.empty();
                                } catch (CleanroomException | RuntimeException e) {
                                    return Optional.of(e.getMessage());
                                }
                            },
                            pool)));
            for (Map.Entry<String, CompletableFuture<Optional<String>>> outcome : outcomes.entrySet()) {
                outcome.getValue()
                        .join()
                        .ifPresent(failure -> failures.put(
                                outcome.getKey(),
                                "(" + wanted.get(outcome.getKey()).user() + "): " + failure));
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) {
            throw new CleanroomException("Could not pull " + failures.size() + " of " + wanted.size() + " image(s):\n"
                    + failures.entrySet().stream()
                            .map(e -> "  " + e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining("\n"))
                    + "\nPerhaps you should check the names and tags, and that "
                    + "this machine reaches their registries (docker pull IMAGE shows the registry's answer).");
        }
        log.info(wanted.size() + " image(s) of " + files.size() + " file(s): " + pulled.get() + " pulled, "
                + (wanted.size() - pulled.get()) + " present");
    }

    /** Returns whether it pulled. */
    private boolean fetchOne(String image, Wanted want) throws CleanroomException {
        if (want.policy() != PullPolicy.ALWAYS) {
            Optional<ImageInfo> present = images.inspect(image);
            if (present.isPresent()) {
                log.info("Image " + image + " is present (" + present.get().digest(image)
                        + "); not pulling it (pull = \"" + want.policy().key() + "\")");
                return false;
            }
            if (want.policy() == PullPolicy.NEVER) {
                throw new CleanroomException(
                        "the Docker daemon does not have it, and pull = \"never\" forbids pulling it");
            }
        }
        images.pullOnce(image, "");
        return true;
    }

    /** Every image of the files, after the mirror, with the policy of the service that needs it most. */
    private Map<String, Wanted> collect(List<TestFile> files, ServiceFactory factory) throws CleanroomException {
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        for (TestFile file : files) {
            for (ServiceConfig config : file.services().values()) {
                List<String> declared = config.definition().images();
                for (String image : new ArrayList<>(declared)) {
                    if (image.isBlank()) {
                        continue;
                    }
                    Wanted want = new Wanted(
                            images.policyOf(config),
                            "service " + config.name() + " of " + file.path().getFileName());
                    wanted.merge(images.resolve(image), want, Wanted::stronger);
                }
            }
        }
        return wanted;
    }

    /** How an image is wanted, and by whom (for messages). */
    private record Wanted(PullPolicy policy, String user) {

        /** always over missing over never: the image must satisfy its most demanding service. */
        Wanted stronger(Wanted other) {
            return rank(other.policy) > rank(policy) ? other : this;
        }

        private static int rank(PullPolicy policy) {
            return switch (policy) {
                case NEVER -> 0;
                case MISSING -> 1;
                case ALWAYS -> 2;
            };
        }
    }
}
