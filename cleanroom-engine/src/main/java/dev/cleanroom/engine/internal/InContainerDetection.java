package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out whether this process runs in a container of the daemon it talks to, and which.
 *
 * <p>Why not {@code /.dockerenv}, the hostname or ids in {@code /proc/self/mountinfo}: CI hosts
 * have {@code /.dockerenv} while running on the daemon's host, and a host's mountinfo lists its
 * containers' ids. Those only name candidates (from mountinfo, only the sources of
 * {@code /etc/hostname}, {@code /etc/hosts} and {@code /etc/resolv.conf}, so a host has none). Each candidate is confirmed with the daemon: a
 * marker file with a random name is written here, and the daemon is asked whether that container
 * sees it ({@code GET /containers/{id}/archive?path=}): only the container whose own filesystem
 * this process writes to does. The marker goes where the candidate has no mount (a shared
 * {@code /tmp} would show it in other containers too). Containers carrying Cleanroom's labels
 * (our own services) are never candidates.
 */
public final class InContainerDetection {

    private static final Pattern CONTAINER_ID = Pattern.compile("(?<![0-9a-f])([0-9a-f]{64})(?![0-9a-f])");
    /**
     * Files Docker mounts into each container from {@code /var/lib/docker/containers/<id>/}: in
     * mountinfo their source names this container's id. A host's mountinfo also lists its
     * containers' ids (their shm and overlay mounts), but never at these mount points.
     */
    private static final Set<String> CONTAINER_FILES = Set.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf");

    private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{12,64}");

    /** What the detection asks the daemon. */
    public interface Daemon {
        /** The container's inspect answer, or empty when the daemon has no such container. */
        Optional<Map<String, Object>> inspect(String idOrName) throws IOException;

        /** Whether {@code path} exists in the container's filesystem. */
        boolean sees(String containerId, String path) throws IOException;
    }

    /** The build's container: its full id and its mounts. */
    public record Found(String id, List<ServiceReach.Mount> mounts) {}

    private InContainerDetection() {}

    /** Candidates from this process's view: the host name, and container ids in mountinfo and cgroup. */
    public static Set<String> candidates(String hostName, String mountInfo, String cgroup) {
        Set<String> found = new LinkedHashSet<>();
        if (hostName != null && SHORT_ID.matcher(hostName.trim()).matches()) {
            found.add(hostName.trim());
        }
        addIds(cgroup, found);
        if (mountInfo != null) {
            for (String line : mountInfo.split("\n")) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && CONTAINER_FILES.contains(fields[4])) {
                    addIds(fields[3], found);
                }
            }
        }
        return found;
    }

    private static void addIds(String text, Set<String> found) {
        if (text != null) {
            Matcher matcher = CONTAINER_ID.matcher(text);
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
        }
    }

    /** {@link #candidates} from this process's own files. */
    public static Set<String> candidatesOfThisProcess() {
        return candidates(Labels.hostName(), read(Path.of("/proc/self/mountinfo")), read(Path.of("/proc/self/cgroup")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * The candidate that sees a marker this process wrote, if any. {@code markerDirectories} are
     * tried in order for each candidate (the first one no mount of the candidate covers).
     */
    public static Optional<Found> detect(
            Daemon daemon, Set<String> candidates, List<Path> markerDirectories, EngineLog log) {
        log.debug("In-container detection: candidates "
                + (candidates.isEmpty() ? "none" : String.join(", ", candidates)));
        Map<Path, Path> markers = new LinkedHashMap<>();
        try {
            Set<String> tried = new LinkedHashSet<>();
            for (String candidate : candidates) {
                Optional<Found> found = confirm(daemon, candidate, tried, markerDirectories, markers, log);
                if (found.isPresent()) {
                    log.debug("In-container detection: container " + found.get().id()
                            + " sees the marker: this build runs in it");
                    return found;
                }
            }
            return Optional.empty();
        } finally {
            markers.values().forEach(InContainerDetection::deleteQuietly);
        }
    }

    private static Optional<Found> confirm(
            Daemon daemon,
            String candidate,
            Set<String> tried,
            List<Path> markerDirectories,
            Map<Path, Path> markers,
            EngineLog log) {
        try {
            Optional<Map<String, Object>> inspected = daemon.inspect(candidate);
            if (inspected.isEmpty()) {
                log.debug("In-container detection: " + candidate + " skipped: the daemon has no such container");
                return Optional.empty();
            }
            String id = Json.string(inspected.get(), "Id").orElse(candidate);
            if (!tried.add(id)) {
                return Optional.empty();
            }
            if (Json.object(Json.object(inspected.get(), "Config"), "Labels").containsKey(Labels.RUN)) {
                log.debug("In-container detection: " + id + " skipped: it is a Cleanroom service");
                return Optional.empty();
            }
            List<ServiceReach.Mount> mounts = mounts(inspected.get());
            Optional<Path> directory = markerDirectories.stream()
                    .filter(d -> !underAMount(d, mounts))
                    .findFirst();
            if (directory.isEmpty()) {
                log.debug("In-container detection: " + id + " skipped: every marker directory is on one of its mounts");
                return Optional.empty();
            }
            Optional<Path> marker = marker(directory.get(), markers);
            if (marker.isEmpty()) {
                return Optional.empty();
            }
            if (daemon.sees(id, marker.get().toString())) {
                return Optional.of(new Found(id, mounts));
            }
            log.debug("In-container detection: " + id + " skipped: it does not see " + marker.get());
        } catch (IOException | RuntimeException e) {
            log.debug("In-container detection: " + candidate + " skipped: " + e.getMessage());
        }
        return Optional.empty();
    }

    static List<ServiceReach.Mount> mounts(Map<String, Object> inspected) {
        List<ServiceReach.Mount> mounts = new ArrayList<>();
        for (Map<String, Object> mount : Json.objectsOf(inspected.get("Mounts"))) {
            Optional<String> source = Json.string(mount, "Source");
            Optional<String> destination = Json.string(mount, "Destination");
            if (source.isPresent() && destination.isPresent() && !source.get().isEmpty()) {
                mounts.add(new ServiceReach.Mount(source.get(), destination.get()));
            }
        }
        return mounts;
    }

    private static boolean underAMount(Path directory, List<ServiceReach.Mount> mounts) {
        return mounts.stream().anyMatch(m -> directory.startsWith(Path.of(m.destination())));
    }

    /** One marker per directory, written on first use. */
    private static Optional<Path> marker(Path directory, Map<Path, Path> markers) {
        Path existing = markers.get(directory);
        if (existing != null) {
            return Optional.of(existing);
        }
        try {
            Path marker = directory.resolve(
                    "cleanroom-whoami-" + UUID.randomUUID().toString().replace("-", ""));
            Files.writeString(marker, "cleanroom in-container detection\n");
            markers.put(directory, marker);
            return Optional.of(marker);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void deleteQuietly(Path marker) {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException | RuntimeException ignored) {
            // A read-only or vanished directory: a small file with a random name is all that is left.
        }
    }

    /** Where markers are written: places a build container rarely mounts come first. */
    public static List<Path> defaultMarkerDirectories() {
        List<Path> directories = new ArrayList<>(List.of(
                Path.of("/tmp"),
                Path.of("/var/tmp"),
                Path.of(System.getProperty("java.io.tmpdir")),
                Path.of(System.getProperty("user.home"))));
        return List.copyOf(new LinkedHashSet<>(directories));
    }
}
