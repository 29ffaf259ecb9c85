package dev.cleanroom.plugins.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.testing.PluginDefinitions;
import dev.cleanroom.engine.testing.StubBackend;
import dev.cleanroom.engine.testing.StubServiceContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One generic_container service of one run: what it starts, checks and stops, on a stub backend. */
class GenericContainerTest {

    private final StubBackend backend = new StubBackend();

    @Test
    void stopAfterAStartThatFailedStopsNothingAndDoesNotThrow() throws Exception {
        // Arrange
        backend.onStart((spec, planned) -> {
            throw new CleanroomException(CleanroomException.Reason.DAEMON_REFUSED, "the daemon refused it");
        });
        Service service = create(Map.of("image", "alpine:3.20"));

        // Act
        Throwable startFailure = catchThrowable(service::start);
        service.stop();

        // Assert
        assertThat(startFailure).isInstanceOf(CleanroomException.class).hasMessageContaining("refused");
        assertThat(backend.stopped()).isEmpty();
    }

    @Test
    void stopRemovesTheContainerItStarted() throws Exception {
        // Arrange
        Service service = create(Map.of("image", "alpine:3.20"));
        service.start();

        // Act
        service.stop();

        // Assert
        assertThat(backend.stopped()).containsExactly("c1");
    }

    @Test
    void logCheckWatchesTheLogOnceOverAllPollsAndStopsWatchingAtStop() throws Exception {
        // Arrange: the line shows on the third look at the log
        Service service = create(Map.of("image", "alpine:3.20", "health.log", "ready"));
        backend.logs("c1", "", "starting\n", "starting\nready\n");
        service.start();

        // Act
        List<HealthStatus> polls = List.of(service.checkHealth(), service.checkHealth(), service.checkHealth());
        service.stop();

        // Assert
        assertThat(polls).extracting(HealthStatus::isHealthy).containsExactly(false, false, true);
        assertThat(backend.logWatches()).isEqualTo(1);
        assertThat(backend.openLogWatches()).isZero();
    }

    @Test
    void withoutAHealthCheckARunningContainerIsReadyWithoutAskingTheBackend() throws Exception {
        // Arrange
        Service service = create(Map.of("image", "alpine:3.20"));
        service.start();

        // Act
        HealthStatus status = service.checkHealth();

        // Assert
        assertThat(status.isHealthy()).isTrue();
        assertThat(backend.logWatches()).isZero();
    }

    @Test
    void httpCheckExportsTheUrlOfItsPort() throws Exception {
        // Arrange
        Service service = create(Map.of("image", "alpine:3.20", "health.http", "/health", "health.port", 8080L));

        // Act
        service.start();

        // Assert
        assertThat(service.handle().endpoints()).containsEntry("url", "http://127.0.0.1:38080");
        assertThat(backend.started().get(0).ports())
                .extracting(p -> p.containerPort())
                .containsExactly(8080);
    }

    private Service create(Map<String, Object> values) {
        return PluginDefinitions.define(new GenericContainerPlugin(), values)
                .create(new StubServiceContext("svc", backend));
    }
}
