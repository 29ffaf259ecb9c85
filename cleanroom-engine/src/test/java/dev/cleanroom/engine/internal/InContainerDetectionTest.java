package dev.cleanroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.testing.RecordingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InContainerDetectionTest {

    private static final String SELF = "a".repeat(64);
    private static final String NEIGHBOUR = "b".repeat(64);
    private static final String SERVICE = "c".repeat(64);

    @TempDir
    Path tmp;

    private final RecordingLog log = new RecordingLog();

    /** Test double of the daemon: inspect answers, and one container ("self") that sees this process's files. */
    private final class FakeDaemon implements InContainerDetection.Daemon {
        final Map<String, Map<String, Object>> containers = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        String self;

        FakeDaemon with(String id, Map<String, String> labels, List<Map<String, Object>> mounts) {
            containers.put(id, Map.of("Id", id, "Config", Map.of("Labels", labels), "Mounts", mounts));
            return this;
        }

        @Override
        public Optional<Map<String, Object>> inspect(String idOrName) {
            return containers.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(idOrName))
                    .map(Map.Entry::getValue)
                    .findFirst();
        }

        @Override
        public boolean sees(String containerId, String path) {
            asked.add(containerId + " " + path);
            return containerId.equals(self) && Files.exists(Path.of(path));
        }
    }

    @Test
    void takesContainerIdsFromTheHostNameTheCgroupAndTheMountsOfEtcHostnameHostsAndResolvConfAsCandidatesOnly() {
        String mountInfo = "55 29 8:1 /var/lib/docker/containers/" + SELF
                + "/hostname /etc/hostname rw - ext4 /dev/sda1 rw\n" + "56 29 8:1 /var/lib/docker/containers/" + SERVICE
                + "/hosts /etc/hosts rw - ext4 /dev/sda1 rw\n";
        String cgroup = "12:pids:/docker/" + NEIGHBOUR + "\n";

        Set<String> candidates = InContainerDetection.candidates("0123456789ab", mountInfo, cgroup);

        assertThat(candidates).containsExactly("0123456789ab", NEIGHBOUR, SELF, SERVICE);
        assertThat(InContainerDetection.candidates("ci-runner-7", "", "")).isEmpty();
    }

    @Test
    void theContainerMountsAHostListsInItsMountInfoAreNoCandidates() {
        // What this CI host's own mountinfo shows of the daemon's containers: their shm and overlay mounts
        String hostMountInfo =
                "1234 29 0:52 / /var/lib/docker/containers/" + NEIGHBOUR + "/mounts/shm rw - tmpfs shm rw\n"
                        + "1240 29 0:60 / /var/lib/docker/overlay2/" + SERVICE + "/merged rw - overlay overlay rw\n";

        assertThat(InContainerDetection.candidates("ci-host", hostMountInfo, "0::/user.slice\n"))
                .isEmpty();
    }

    @Test
    void onTheDaemonsHostNoCandidateSeesTheMarkerSoTheBuildIsNotInAContainer() throws IOException {
        // Arrange: the host's mountinfo names a container of the daemon; this process is not in it
        FakeDaemon daemon = new FakeDaemon().with(NEIGHBOUR, Map.of(), List.of());

        // Act
        Optional<InContainerDetection.Found> found =
                InContainerDetection.detect(daemon, Set.of(NEIGHBOUR), List.of(tmp), log);

        // Assert: asked, said no, and the marker is gone again
        assertThat(found).isEmpty();
        assertThat(daemon.asked).hasSize(1);
        assertThat(log.text()).contains("In-container detection: " + NEIGHBOUR + " skipped: it does not see " + tmp);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theContainerThatSeesTheMarkerIsTheBuildsOwnWithItsMounts() {
        FakeDaemon daemon = new FakeDaemon()
                .with(NEIGHBOUR, Map.of(), List.of())
                .with(SELF, Map.of(), List.of(Map.of("Source", "/home/ci/project", "Destination", "/work")));
        daemon.self = SELF;

        Optional<InContainerDetection.Found> found = InContainerDetection.detect(
                daemon, new LinkedHashSet<>(List.of(NEIGHBOUR, SELF.substring(0, 12))), List.of(tmp), log);

        assertThat(found)
                .contains(new InContainerDetection.Found(
                        SELF, List.of(new ServiceReach.Mount("/home/ci/project", "/work"))));
    }

    @Test
    void neverTakesACleanroomServiceForTheBuildsContainer() {
        FakeDaemon daemon = new FakeDaemon().with(SERVICE, Map.of(Labels.RUN, "r1"), List.of());
        daemon.self = SERVICE;

        assertThat(InContainerDetection.detect(daemon, Set.of(SERVICE), List.of(tmp), log))
                .isEmpty();
        assertThat(daemon.asked).isEmpty();
        assertThat(log.text()).contains(SERVICE + " skipped: it is a Cleanroom service");
    }

    @Test
    void writesTheMarkerWhereTheCandidateHasNoMountSoASharedDirectoryProvesNothing() throws IOException {
        // Arrange: the candidate mounts the first directory (as -v /tmp:/tmp would); it sees whatever is written there
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Path own = Files.createDirectory(tmp.resolve("own"));
        FakeDaemon daemon = new FakeDaemon()
                .with(
                        NEIGHBOUR,
                        Map.of(),
                        List.of(Map.of("Source", shared.toString(), "Destination", shared.toString())));

        // Act
        Optional<InContainerDetection.Found> found =
                InContainerDetection.detect(daemon, Set.of(NEIGHBOUR), List.of(shared, own), log);

        // Assert
        assertThat(found).isEmpty();
        assertThat(daemon.asked)
                .singleElement()
                .asString()
                .startsWith(NEIGHBOUR + " " + own.resolve("cleanroom-whoami-"));
    }

    @Test
    void aCandidateTheDaemonDoesNotKnowIsSkipped() {
        assertThat(InContainerDetection.detect(new FakeDaemon(), Set.of("0123456789ab"), List.of(tmp), log))
                .isEmpty();
        assertThat(log.text()).contains("0123456789ab skipped: the daemon has no such container");
    }
}
