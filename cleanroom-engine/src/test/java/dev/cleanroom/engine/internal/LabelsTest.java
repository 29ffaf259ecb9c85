package dev.cleanroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who owns a run's containers, and when a sweep may call that owner dead. Hosts sharing a
 * daemon may all be called "localhost" (macOS, Windows), and containers built from one image
 * share their files and reuse small pids: an owner is dead only when it ran where this JVM runs
 * (same host, same pid namespace) and its process is gone.
 */
class LabelsTest {

    /** A pid that belonged to a process that has ended. */
    private static long deadPid;

    @BeforeAll
    static void aProcessThatHasEnded() throws Exception {
        Process process = new ProcessBuilder("true").start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("true ended").isTrue();
        deadPid = process.pid();
    }

    @Test
    void ownerNamesAPerJvmRandomIdTheHostThePidItsStartAndWhereThePidIsValid() {
        // Act
        String[] parts = Labels.currentOwner().split("/");

        // Assert
        ProcessHandle self = ProcessHandle.current();
        assertThat(parts).hasSize(5);
        assertThat(parts[0]).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(parts[1]).isEqualTo(Labels.hostName());
        assertThat(parts[2]).isEqualTo(Long.toString(self.pid()));
        assertThat(parts[3])
                .isEqualTo(Long.toString(
                        self.info().startInstant().map(Instant::toEpochMilli).orElse(0L)));
        assertThat(parts[4]).isNotBlank();
        assertThat(Labels.currentOwner()).isEqualTo(String.join("/", parts));
    }

    @Test
    void ownerInThisPidNamespaceWhoseProcessIsGoneIsDead() {
        // Arrange
        String owner = ownerLike(Labels.currentOwner(), 0, "0a0b0c0d-0000-4000-8000-000000000000", 2, deadPid);

        // Act & Assert
        assertThat(Labels.isDeadOwner(owner)).isTrue();
    }

    @Test
    void ownerWhosePidNowBelongsToAnotherProcessIsDead() {
        // Arrange: this JVM's pid, but a different start time: the pid was reused
        String owner = ownerLike(Labels.currentOwner(), 3, "12345", 0, "0a0b0c0d-0000-4000-8000-000000000000");

        // Act & Assert
        assertThat(Labels.isDeadOwner(owner)).isTrue();
    }

    @Test
    void thisJvmIsAlive() {
        assertThat(Labels.isDeadOwner(Labels.currentOwner())).isFalse();
    }

    @Test
    void anotherHostCalledLikeThisOneIsNeverJudgedDead() {
        // Arrange: same host name, another machine or container (pid namespace)
        String owner = ownerLike(Labels.currentOwner(), 4, "elsewhere-0123456789", 2, deadPid);

        // Act & Assert
        assertThat(Labels.isDeadOwner(owner)).isFalse();
    }

    @Test
    void twoHostsCalledLocalhostDoNotJudgeEachOther() {
        // Arrange
        String owner = "0a0b0c0d-0000-4000-8000-000000000000/localhost/" + deadPid + "/0/elsewhere-0123456789";

        // Act & Assert
        assertThat(Labels.isDeadOwner(owner)).isFalse();
    }

    @Test
    void ownerLabelsOfEarlierVersionsAreNeverJudgedDead() {
        // Arrange: host/pid/start, which cannot tell two containers with one host name apart
        String owner = Labels.hostName() + "/" + deadPid + "/0";

        // Act & Assert
        assertThat(Labels.isDeadOwner(owner)).isFalse();
    }

    @Test
    void unreadableOwnersAreNeverJudgedDead() {
        assertThat(Labels.isDeadOwner(null)).isFalse();
        assertThat(Labels.isDeadOwner("")).isFalse();
        assertThat(Labels.isDeadOwner("a/b/c/d/e")).isFalse();
    }

    /** {@code owner} with two of its slash-separated parts replaced. */
    private static String ownerLike(String owner, int index, Object value, int otherIndex, Object otherValue) {
        String[] parts = owner.split("/", -1);
        if (parts.length != 5) {
            return owner;
        }
        parts[index] = value.toString();
        parts[otherIndex] = otherValue.toString();
        return String.join("/", parts);
    }
}
