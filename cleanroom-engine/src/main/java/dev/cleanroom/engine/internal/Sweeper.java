package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.CleanroomException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Removes what dead builds left behind. A build killed with {@code kill -9} cannot clean up
 * after itself and Ryuk is not always available, so every start and stop sweeps: only
 * containers and networks whose owner label names a process on this host and in this pid
 * namespace that no longer exists ({@link Labels#isDeadOwner}) and that nobody asked to keep
 * (keepRunning). Live builds, kept runs, builds on other hosts or in other containers sharing
 * the daemon, and anything whose owner this JVM cannot judge are never touched.
 */
public final class Sweeper {

    /**
     * Runs whose removal this JVM gave up on (the daemon was away): swept like a dead build's,
     * since their owner, this JVM, may live on (mvnd, an IDE) and would otherwise protect them.
     */
    private static final Set<String> GIVEN_UP = ConcurrentHashMap.newKeySet();

    private Sweeper() {}

    /** The next sweep in this JVM removes {@code runId}'s containers and network, though their owner lives. */
    static void leaveForSweep(String runId) {
        GIVEN_UP.add(runId);
    }

    /** How long a service kept for reuse survives sweeps when nobody says: a day. */
    public static final Duration DEFAULT_REUSE_TTL = Duration.ofHours(24);

    private static boolean isLeftBehind(Map<String, String> labels, Duration reuseTtl, Instant now) {
        // Labels are anyone's to write: a container without a run label is never one we gave up on.
        String run = labels.get(Labels.RUN);
        if (run == null) {
            return false;
        }
        if (labels.containsKey(Labels.REUSE)) {
            // Kept for the next build on purpose: only once it is older than its time-to-live and
            // the build that made it is gone (not one that is starting or using it right now).
            return Labels.reuseExpired(labels, reuseTtl, now) && Labels.isDeadOwner(labels.get(Labels.OWNER));
        }
        return GIVEN_UP.contains(run) || Labels.isAbandoned(labels);
    }

    /**
     * Removes every container and network of {@code project} on this daemon, whoever started
     * them: what a separate {@code mvn cleanroom:stop} asks for. Services kept for reuse stay
     * unless {@code includingReused}; what stays is named with how to remove it. Returns the
     * containers removed.
     */
    public static int removeProject(ContainerRuntime runtime, String project, EngineLog log, boolean includingReused)
            throws CleanroomException {
        List<ContainerRuntime.LabeledResource> ofProject = runtime.findContainers(Labels.PROJECT).stream()
                .filter(c -> project.equals(c.labels().get(Labels.PROJECT)))
                .toList();
        List<ContainerRuntime.LabeledResource> containers = ofProject.stream()
                .filter(c -> includingReused || !isReuse(c.labels()))
                .toList();
        List<ContainerRuntime.LabeledResource> kept = ofProject.stream()
                .filter(c -> !includingReused && c.labels().containsKey(Labels.REUSE))
                .toList();
        for (ContainerRuntime.LabeledResource container : containers) {
            runtime.removeContainer(container.id(), Duration.ZERO);
        }
        List<ContainerRuntime.LabeledResource> networks = runtime.findNetworks(Labels.PROJECT).stream()
                .filter(n -> project.equals(n.labels().get(Labels.PROJECT)))
                .filter(n -> includingReused || !isReuse(n.labels()))
                .toList();
        for (ContainerRuntime.LabeledResource network : networks) {
            runtime.removeNetwork(network.id());
        }
        log.info("Removed " + containers.size() + " container(s) and " + networks.size() + " network(s) of project "
                + project
                + (containers.isEmpty() ? "" : ": " + names(containers)));
        if (!kept.isEmpty()) {
            log.info("Left " + kept.size() + " service(s) kept for reuse running: " + names(kept)
                    + "; remove them with mvn cleanroom:clean, or mvn cleanroom:stop -Dcleanroom.reuse=false");
        }
        return containers.size();
    }

    /** As {@link #removeProject(ContainerRuntime, String, EngineLog, boolean)}, keeping services kept for reuse. */
    public static int removeProject(ContainerRuntime runtime, String project, EngineLog log) throws CleanroomException {
        return removeProject(runtime, project, log, false);
    }

    /**
     * Removes every service kept for reuse, its network and any reuse lock, of {@code project}
     * or, when empty, of every project on this daemon: {@code cleanroom:clean}. Returns the
     * services removed.
     */
    public static int removeReused(ContainerRuntime runtime, java.util.Optional<String> project, EngineLog log)
            throws CleanroomException {
        java.util.function.Predicate<ContainerRuntime.LabeledResource> ofProject =
                r -> project.isEmpty() || project.get().equals(r.labels().get(Labels.PROJECT));
        List<ContainerRuntime.LabeledResource> services =
                runtime.findContainers(Labels.REUSE).stream().filter(ofProject).toList();
        List<ContainerRuntime.LabeledResource> locks =
                runtime.findContainers(Labels.LOCK).stream().filter(ofProject).toList();
        for (ContainerRuntime.LabeledResource container : services) {
            runtime.removeContainer(container.id(), Duration.ZERO);
        }
        for (ContainerRuntime.LabeledResource lock : locks) {
            runtime.removeContainer(lock.id(), Duration.ZERO);
        }
        List<ContainerRuntime.LabeledResource> networks =
                runtime.findNetworks(Labels.REUSE).stream().filter(ofProject).toList();
        for (ContainerRuntime.LabeledResource network : networks) {
            runtime.removeNetwork(network.id());
        }
        log.info("Removed " + services.size() + " reused service(s), " + networks.size() + " network(s) and "
                + locks.size() + " lock(s) of "
                + project.map(p -> "project " + p).orElse("every project")
                + (services.isEmpty() ? "" : ": " + names(services)));
        return services.size();
    }

    private static boolean isReuse(Map<String, String> labels) {
        return labels.containsKey(Labels.REUSE) || labels.containsKey(Labels.LOCK);
    }

    private static String names(List<ContainerRuntime.LabeledResource> resources) {
        return String.join(
                ", ",
                resources.stream().map(ContainerRuntime.LabeledResource::name).toList());
    }

    /** Returns the number of containers removed; reused services live for {@link #DEFAULT_REUSE_TTL}. */
    public static int sweepDeadRuns(ContainerRuntime runtime, EngineLog log) throws CleanroomException {
        return sweepDeadRuns(runtime, log, DEFAULT_REUSE_TTL);
    }

    /**
     * Removes what dead builds left, and services kept for reuse that are older than
     * {@code reuseTtl} (their creator gone). Returns the number of containers removed.
     */
    public static int sweepDeadRuns(ContainerRuntime runtime, EngineLog log, Duration reuseTtl)
            throws CleanroomException {
        Instant now = Instant.now();
        List<ContainerRuntime.LabeledResource> containers = runtime.findContainers(Labels.OWNER).stream()
                .filter(c -> isLeftBehind(c.labels(), reuseTtl, now))
                .toList();
        for (ContainerRuntime.LabeledResource container : containers) {
            runtime.removeContainer(container.id(), Duration.ZERO);
        }
        List<ContainerRuntime.LabeledResource> networks = runtime.findNetworks(Labels.OWNER).stream()
                .filter(n -> isLeftBehind(n.labels(), reuseTtl, now))
                .toList();
        for (ContainerRuntime.LabeledResource network : networks) {
            runtime.removeNetwork(network.id());
        }
        if (!containers.isEmpty() || !networks.isEmpty()) {
            TreeSet<String> owners = new TreeSet<>();
            containers.forEach(c -> owners.add(c.labels().get(Labels.OWNER)));
            networks.forEach(n -> owners.add(n.labels().get(Labels.OWNER)));
            log.warn("Removed " + containers.size() + " container(s) and " + networks.size()
                    + " network(s) left behind by a build that died (owner " + String.join(", ", owners) + "): "
                    + String.join(
                            ", ",
                            containers.stream()
                                    .map(ContainerRuntime.LabeledResource::name)
                                    .toList())
                    + expiredReuseNote(containers, reuseTtl));
        }
        return containers.size();
    }

    /** Says which of the removed were kept for reuse and outlived their time-to-live, if any. */
    private static String expiredReuseNote(List<ContainerRuntime.LabeledResource> removed, Duration reuseTtl) {
        long expired = removed.stream()
                .filter(c -> c.labels().containsKey(Labels.REUSE))
                .count();
        return expired == 0
                ? ""
                : " (" + expired + " of them kept for reuse and older than cleanroom.reuse.ttl = "
                        + dev.cleanroom.engine.spi.Durations.format(reuseTtl) + ")";
    }
}
