package dev.cleanroom.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.LogWatch;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.ServiceHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shared plugin test doubles do what their comments promise, since many plugin tests lean on them. */
class StubBackendTest {

    private final StubBackend backend = new StubBackend();

    @Test
    void startNumbersContainersAndPublishesDynamicPortsAt30000PlusTheContainerPortAndFixedOnesAsAsked()
            throws Exception {
        // Act
        ContainerInfo first = backend.startContainer(ContainerSpec.builder("a:1")
                .port(PortSpec.container(8080))
                .port(PortSpec.parse("18081:81"))
                .build());
        ContainerInfo second =
                backend.startContainer(ContainerSpec.builder("b:1").build());

        // Assert
        assertThat(first.id()).isEqualTo("c1");
        assertThat(first.ports()).containsExactly(Map.entry(8080, 38080), Map.entry(81, 18081));
        assertThat(first.host()).isEqualTo("127.0.0.1");
        assertThat(second.id()).isEqualTo("c2");
        assertThat(backend.started()).extracting(ContainerSpec::image).containsExactly("a:1", "b:1");
    }

    @Test
    void aStartTheAnswerRefusesIsNotRecordedAndTakesNoId() throws Exception {
        // Arrange
        backend.onStart((spec, planned) -> {
            if (spec.image().equals("refused:1")) {
                throw new CleanroomException("no such image refused:1");
            }
            return planned;
        });

        // Act
        Throwable refused = catchThrowable(
                () -> backend.startContainer(ContainerSpec.builder("refused:1").build()));
        ContainerInfo started =
                backend.startContainer(ContainerSpec.builder("ok:1").build());

        // Assert
        assertThat(refused).hasMessage("no such image refused:1");
        assertThat(started.id()).isEqualTo("c1");
        assertThat(backend.started()).extracting(ContainerSpec::image).containsExactly("ok:1");
    }

    @Test
    void anExecIsRecordedAndWithoutAnAnswerFailsTheTest() throws Exception {
        // Act
        Throwable unanswered = catchThrowable(() -> backend.exec("c1", ExecRequest.of(List.of("ls", "/"))));
        backend.onExec(argv -> StubBackend.output(String.join(" ", argv)));
        String answered =
                backend.exec("c1", ExecRequest.of(List.of("echo", "hi"))).stdout();

        // Assert
        assertThat(unanswered).isInstanceOf(UnsupportedOperationException.class);
        assertThat(answered).isEqualTo("echo hi");
        assertThat(backend.execs()).containsExactly(List.of("ls", "/"), List.of("echo", "hi"));
    }

    @Test
    void aLogWatchReadsTheScriptedLogInTurnAndIsCountedUntilClosed() throws Exception {
        // Arrange
        backend.logs("c1", "", "booting\n", "booting\nready\n");

        // Act
        LogWatch watch = backend.watchLog("c1", Pattern.compile("^ready$", Pattern.MULTILINE), Duration.ofSeconds(5));
        List<Boolean> looks = List.of(
                watch.status().isHealthy(),
                watch.status().isHealthy(),
                watch.status().isHealthy(),
                watch.status().isHealthy());
        int openBeforeClose = backend.openLogWatches();
        watch.close();
        watch.close();

        // Assert
        assertThat(looks).containsExactly(false, false, true, true);
        assertThat(openBeforeClose).isEqualTo(1);
        assertThat(backend.logWatches()).isEqualTo(1);
        assertThat(backend.openLogWatches()).isZero();
        assertThat(backend.logs("c2", 10)).isEmpty();
    }

    @Test
    void anExitedContainerIsNotRunningAndInspectSaysHowItExited() {
        // Act
        backend.exited("c2", 3);

        // Assert
        assertThat(backend.isRunning("c1")).isTrue();
        assertThat(backend.isRunning("c2")).isFalse();
        assertThat(backend.inspect("c2").describe()).isEqualTo("exited with code 3");
    }

    @Test
    void contextFindsOnlyTheReadyServicesItWasGivenAndKeepsTheLogWithLevels() {
        // Arrange
        StubServiceContext context = new StubServiceContext("chaos", backend)
                .withReadyService(
                        ServiceHandle.builder("api", "api-id", "127.0.0.1").build());

        // Act
        context.log().info("started");
        context.log().warn("slow");

        // Assert
        assertThat(context.service("api"))
                .hasValueSatisfying(h -> assertThat(h.containerId()).isEqualTo("api-id"));
        assertThat(context.service("db")).isEmpty();
        assertThat(context.serviceNames()).containsExactlyInAnyOrder("api", "chaos");
        assertThat(context.containers()).isSameAs(backend);
        assertThat(context.log().lines()).containsExactly("INFO started", "WARN slow");
    }
}
