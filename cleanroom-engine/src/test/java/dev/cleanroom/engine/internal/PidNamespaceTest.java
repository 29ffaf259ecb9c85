package dev.cleanroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidNamespaceTest {

    @TempDir
    Path home;

    @Test
    void hostIdFileIsMadeOnFirstUseAndReadAfterwards() {
        // Arrange
        Path file = home.resolve(".cleanroom/host-id");

        // Act
        String first = PidNamespace.hostIdFile(file).orElseThrow();
        String second = PidNamespace.hostIdFile(file).orElseThrow();

        // Assert
        assertThat(first).matches("[0-9a-f-]{36}").isEqualTo(second);
        assertThat(file).exists();
    }

    @Test
    void anUnwritablePlaceGivesNoIdRatherThanAGuess() throws Exception {
        // Arrange: the parent "directory" is a file
        Files.writeString(home.resolve("blocker"), "");

        // Act & Assert
        assertThat(PidNamespace.hostIdFile(home.resolve("blocker/host-id"))).isEmpty();
    }

    @Test
    void thisLinuxJvmNamesItsMachineAndPidNamespace() {
        assertThat(PidNamespace.current())
                .hasValueSatisfying(id -> assertThat(id).matches("[A-Za-z0-9-]+-pidns\\d+"));
    }
}
