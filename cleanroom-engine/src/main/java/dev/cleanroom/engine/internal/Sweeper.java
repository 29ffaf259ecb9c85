package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.CleanroomException;
import java.time.Duration;
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

    private static boolean isLeftBehind(Map<String, String> labels) {
        // Labels are anyone's to write: a container without a run label is never one we gave up on.
        String run = labels.get(Labels.RUN);
        return run != null && (GIVEN_UP.contains(run) || Labels.isAbandoned(labels));
    }

    /**
     * Removes every container and network of {@code project} on this daemon, whoever started
     * them: what a separate {@code mvn cleanroom:stop} asks for. Returns the containers removed.
     */
    public static int removeProject(ContainerRuntime runtime, String project, EngineLog log) throws CleanroomException {
        List<ContainerRuntime.LabeledResource> containers = runtime.findContainers(Labels.PROJECT).stream()
                .filter(c -> project.equals(c.labels().get(Labels.PROJECT)))
                .toList();
        for (ContainerRuntime.LabeledResource container : containers) {
            runtime.removeContainer(container.id(), Duration.ZERO);
        }
        List<ContainerRuntime.LabeledResource> networks = runtime.findNetworks(Labels.PROJECT).stream()
                .filter(n -> project.equals(n.labels().get(Labels.PROJECT)))
                .toList();
        for (ContainerRuntime.LabeledResource network : networks) {
            runtime.removeNetwork(network.id());
        }
        log.info("Removed " + containers.size() + " container(s) and " + networks.size() + " network(s) of project "
                + project
                + (containers.isEmpty()
                        ? ""
                        : ": "
                                + String.join(
                                        ", ",
                                        containers.stream()
                                                .map(ContainerRuntime.LabeledResource::name)
                                                .toList())));
        return containers.size();
    }

    /** Returns the number of containers removed. */
    public static int sweepDeadRuns(ContainerRuntime runtime, EngineLog log) throws CleanroomException {
        List<ContainerRuntime.LabeledResource> containers = runtime.findContainers(Labels.OWNER).stream()
                .filter(c -> isLeftBehind(c.labels()))
                .toList();
        for (ContainerRuntime.LabeledResource container : containers) {
            runtime.removeContainer(container.id(), Duration.ZERO);
        }
        List<ContainerRuntime.LabeledResource> networks = runtime.findNetworks(Labels.OWNER).stream()
                .filter(n -> isLeftBehind(n.labels()))
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
                                    .toList()));
        }
        return containers.size();
    }
}
