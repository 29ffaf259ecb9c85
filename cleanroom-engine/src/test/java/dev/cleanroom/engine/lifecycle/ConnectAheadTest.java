package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.DockerUnavailableException;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.RuntimeFactory;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectAheadTest {

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final AtomicInteger connections = new AtomicInteger();

    private CleanroomEngine engineConnectingAhead(RuntimeFactory factory) {
        return TestEngines.builder(new ServiceFactory().register(new ScriptedPlugin()), factory)
                .connectAhead()
                .build();
    }

    private RuntimeFactory countingConnections() {
        return log -> {
            connections.incrementAndGet();
            return runtime;
        };
    }

    private LoadedFile file(CleanroomEngine engine) throws Exception {
        Path path = dir.resolve("ahead.clnrm.toml");
        Files.writeString(path, """
                [services.db]
                type = "scripted"
                image = "db:1"
                """, StandardCharsets.UTF_8);
        return engine.load(path);
    }

    @Test
    void theFirstStartUsesTheConnectionMadeAheadAndLaterStartsConnectAgain() throws Exception {
        // Arrange
        try (CleanroomEngine engine = engineConnectingAhead(countingConnections())) {
            LoadedFile file = file(engine);

            // Act
            try (Environment first = engine.start(file)) {
                assertThat(first.services()).extracting(s -> s.name()).containsExactly("db");
            }
            try (Environment second = engine.start(file)) {
                assertThat(second.services()).extracting(s -> s.name()).containsExactly("db");
            }
        }

        // Assert
        assertThat(connections).hasValue(2);
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void aFailureToConnectAheadIsThrownByTheStartAsItWouldBeWithout() throws Exception {
        // Arrange
        RuntimeFactory noDaemon = log -> {
            throw new DockerUnavailableException("No Docker daemon answers at unix:///nowhere", null);
        };
        try (CleanroomEngine engine = engineConnectingAhead(noDaemon)) {
            LoadedFile file = file(engine);

            // Act + Assert
            assertThatThrownBy(() -> engine.start(file))
                    .isInstanceOf(DockerUnavailableException.class)
                    .hasMessage("No Docker daemon answers at unix:///nowhere");
        }
    }

    @Test
    void closingTheEngineClosesAConnectionNoStartUsed() throws Exception {
        // Arrange
        CleanroomEngine engine = engineConnectingAhead(countingConnections());

        // Act: e.g. the files had errors, so nothing starts
        engine.close();

        // Assert: the connection closes once it exists, on the thread that made it
        awaitClosed();
        assertThat(runtime.closeCount()).isEqualTo(1);
    }

    private void awaitClosed() throws InterruptedException {
        for (int i = 0; i < 1000 && runtime.closeCount() == 0; i++) {
            Thread.sleep(10);
        }
    }
}
