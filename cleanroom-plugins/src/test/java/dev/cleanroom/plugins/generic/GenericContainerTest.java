package dev.cleanroom.plugins.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.LogWatch;
import dev.cleanroom.engine.spi.PluginLog;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.testing.PluginDefinitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One generic_container service of one run: what it starts, checks and stops, on a recording backend. */
class GenericContainerTest {

    private final RecordingBackend backend = new RecordingBackend();

    @Test
    void stopAfterAStartThatFailedStopsNothingAndDoesNotThrow() throws Exception {
        // Arrange
        backend.refuseStart = true;
        Service service = create(Map.of("image", "alpine:3.20"));

        // Act
        Throwable startFailure = catchThrowable(service::start);
        service.stop();

        // Assert
        assertThat(startFailure).isInstanceOf(CleanroomException.class).hasMessageContaining("refused");
        assertThat(backend.stopped).isEmpty();
    }

    @Test
    void stopRemovesTheContainerItStarted() throws Exception {
        // Arrange
        Service service = create(Map.of("image", "alpine:3.20"));
        service.start();

        // Act
        service.stop();

        // Assert
        assertThat(backend.stopped).containsExactly("c1");
    }

    @Test
    void logCheckWatchesTheLogOnceOverAllPollsAndStopsWatchingAtStop() throws Exception {
        // Arrange
        Service service = create(Map.of("image", "alpine:3.20", "health.log", "ready"));
        service.start();

        // Act
        List<HealthStatus> polls = List.of(service.checkHealth(), service.checkHealth(), service.checkHealth());
        service.stop();

        // Assert
        assertThat(polls).extracting(HealthStatus::isHealthy).containsExactly(false, false, true);
        assertThat(backend.watches).isEqualTo(1);
        assertThat(backend.watchClosed).isTrue();
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
        assertThat(backend.watches).isZero();
    }

    @Test
    void httpCheckExportsTheUrlOfItsPort() throws Exception {
        // Arrange
        Service service = create(Map.of("image", "alpine:3.20", "health.http", "/health", "health.port", 8080L));

        // Act
        service.start();

        // Assert
        assertThat(service.handle().endpoints()).containsEntry("url", "http://127.0.0.1:38080");
        assertThat(backend.started.get(0).ports())
                .extracting(p -> p.containerPort())
                .containsExactly(8080);
    }

    private Service create(Map<String, Object> values) {
        return PluginDefinitions.define(new GenericContainerPlugin(), values).create(backend.context("svc"));
    }

    /** Starts containers on paper; host port = 30000 + container port; its log matches on the third look. */
    private static final class RecordingBackend implements ContainerBackend {
        final List<ContainerSpec> started = new ArrayList<>();
        final List<String> stopped = new ArrayList<>();
        boolean refuseStart;
        int watches;
        boolean watchClosed;

        ServiceContext context(String name) {
            ContainerBackend backend = this;
            return new ServiceContext() {
                @Override
                public String serviceName() {
                    return name;
                }

                @Override
                public ContainerBackend containers() {
                    return backend;
                }

                @Override
                public Optional<ServiceHandle> service(String other) {
                    return Optional.empty();
                }

                @Override
                public Set<String> serviceNames() {
                    return Set.of(name);
                }

                @Override
                public PluginLog log() {
                    return new PluginLog() {
                        @Override
                        public void info(String message) {}

                        @Override
                        public void warn(String message) {}
                    };
                }
            };
        }

        @Override
        public ContainerInfo startContainer(ContainerSpec spec) throws CleanroomException {
            if (refuseStart) {
                throw new CleanroomException(CleanroomException.Reason.DAEMON_REFUSED, "the daemon refused it");
            }
            started.add(spec);
            Map<Integer, Integer> ports = new java.util.LinkedHashMap<>();
            spec.ports().forEach(p -> ports.put(p.containerPort(), 30000 + p.containerPort()));
            return new ContainerInfo("c" + started.size(), "svc-" + started.size(), "127.0.0.1", ports);
        }

        @Override
        public LogWatch watchLog(String containerId, Pattern pattern, Duration limit) {
            watches++;
            return new LogWatch() {
                private int looks;

                @Override
                public HealthStatus status() {
                    return ++looks >= 3 ? HealthStatus.ok("log matched") : HealthStatus.notYet("no match yet");
                }

                @Override
                public void close() {
                    watchClosed = true;
                }
            };
        }

        @Override
        public void stopContainer(String containerId) {
            stopped.add(containerId);
        }

        @Override
        public boolean isRunning(String containerId) {
            return true;
        }

        @Override
        public ContainerState inspect(String containerId) {
            return new ContainerState(true, 0, false, "running", "");
        }

        @Override
        public ExecResult exec(String containerId, ExecRequest request) {
            throw new UnsupportedOperationException("no exec in these tests");
        }

        @Override
        public String logs(String containerId, int lines) {
            return "";
        }

        @Override
        public String hostAddress() {
            return "127.0.0.1";
        }
    }
}
