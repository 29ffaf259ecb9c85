package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.internal.docker.DaemonFailures.Call;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.CleanroomException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The daemon's own words (Docker 20.10 to 29, runc, the NVIDIA toolkit) and the reason each becomes. */
class DaemonFailuresTest {

    static Stream<Arguments> daemonAnswers() {
        return Stream.of(
                Arguments.of(
                        500,
                        "driver failed programming external connectivity on endpoint clnrm-web-1 "
                                + "(3f1a9c): Bind for 0.0.0.0:8080 failed: port is already allocated",
                        Reason.PORT_TAKEN),
                Arguments.of(
                        500,
                        "driver failed programming external connectivity on endpoint clnrm-web-1 "
                                + "(3f1a9c): Error starting userland proxy: listen tcp4 0.0.0.0:8080: bind: address already in use",
                        Reason.PORT_TAKEN),
                Arguments.of(500, "could not select device driver \"\" with capabilities: [[gpu]]", Reason.GPU_REFUSED),
                Arguments.of(
                        500,
                        "failed to create task for container: failed to create shim task: OCI runtime create "
                                + "failed: runc create failed: unable to start container process: error during container init: "
                                + "error running hook #0: error running hook: exit status 1, stdout: , stderr: Auto-detected "
                                + "mode as 'legacy'\nnvidia-container-cli: initialization error: nvml error: driver not loaded: "
                                + "unknown",
                        Reason.GPU_REFUSED),
                Arguments.of(400, "unknown or invalid runtime name: nvidia", Reason.GPU_REFUSED),
                Arguments.of(
                        409, "removal of container 3f1a9c0d2b7e is already in progress", Reason.REMOVAL_IN_PROGRESS),
                Arguments.of(
                        400,
                        "cgroup-parent for systemd cgroup should be a valid slice named as \"xxx.slice\"",
                        Reason.UNSUPPORTED),
                Arguments.of(404, "No such container: 3f1a9c0d2b7e", Reason.NOT_FOUND),
                Arguments.of(404, "network clnrm-run-1 not found", Reason.NOT_FOUND),
                Arguments.of(404, "No such exec instance: 8d2c", Reason.NOT_FOUND),
                Arguments.of(404, "No such image: cleanroom/nothing:here", Reason.IMAGE_MISSING),
                Arguments.of(
                        409,
                        "Conflict. The container name \"/clnrm-web\" is already in use by container "
                                + "\"3f1a9c\". You have to remove (or rename) that container to be able to reuse that name.",
                        Reason.DAEMON_REFUSED),
                Arguments.of(
                        500,
                        "failed to create task for container: failed to create shim task: OCI runtime create "
                                + "failed: runc create failed: unable to start container process: exec: \"nope\": executable "
                                + "file not found in $PATH: unknown",
                        Reason.DAEMON_REFUSED),
                Arguments.of(
                        403,
                        "error while removing network: network clnrm-run-1 id 9e1f has active endpoints",
                        Reason.DAEMON_REFUSED));
    }

    @ParameterizedTest
    @MethodSource("daemonAnswers")
    void daemonAnswersBecomeReasonsWithTheirStatus(int status, String daemonSaid, Reason expected) {
        // Act
        CleanroomException failure =
                DaemonFailures.failure("Could not do it", new DockerApiException(status, daemonSaid));

        // Assert
        assertThat(failure.reason()).isEqualTo(expected);
        assertThat(failure.httpStatus()).hasValue(status);
        assertThat(failure).hasMessage("Could not do it");
    }

    @Test
    void aMissingImageIsNamedSoByImageCalls() {
        DockerApiException noSuchImage = new DockerApiException(404, "No such image: busybox:nope");
        DockerApiException manifestUnknown = new DockerApiException(
                404, "manifest for busybox:nope not found: " + "manifest unknown: manifest unknown");

        assertThat(DaemonFailures.reason(noSuchImage, Call.IMAGE)).isEqualTo(Reason.IMAGE_MISSING);
        assertThat(DaemonFailures.reason(manifestUnknown, Call.PULL)).isEqualTo(Reason.IMAGE_MISSING);
        assertThat(DaemonFailures.reason(new DockerApiException(404, "network x not found"), Call.OTHER))
                .isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void anErrorInThePullStreamIsAMissingImageWithoutAStatus() {
        // Arrange: the daemon answered 200 and wrote the error into the progress stream
        DockerApiException inStream = new DockerApiException(
                200, "Get \"https://registry.invalid/v2/\": dial tcp: " + "lookup registry.invalid: no such host");

        // Act
        CleanroomException failure = DaemonFailures.failure("Image could not be pulled", inStream, Call.PULL);

        // Assert
        assertThat(failure.reason()).isEqualTo(Reason.IMAGE_MISSING);
        assertThat(failure.httpStatus()).isEmpty();
    }

    @Test
    void aRegistryRefusalIsAMissingImage() {
        IOException refused = new RegistryAccessDeniedException(
                "Registry r refused", new DockerApiException(500, "unauthorized: authentication required"));

        assertThat(DaemonFailures.reason(refused, Call.PULL)).isEqualTo(Reason.IMAGE_MISSING);
    }

    @Test
    void aDaemonThatDoesNotAnswerIsGone() {
        assertThat(DaemonFailures.reason(new ConnectException("Connection refused")))
                .isEqualTo(Reason.DAEMON_GONE);
        assertThat(DaemonFailures.reason(new SocketException("Connection reset")))
                .isEqualTo(Reason.DAEMON_GONE);
        assertThat(DaemonFailures.reason(new DockerTimeoutException("the Docker daemon at unix:///var/run/docker.sock "
                        + "did not answer GET /containers/json within 30 s")))
                .isEqualTo(Reason.DAEMON_GONE);
        assertThat(DaemonFailures.reason(new EOFException("the Docker daemon closed the connection mid-response")))
                .isEqualTo(Reason.DAEMON_GONE);
        assertThat(DaemonFailures.reason(new AsynchronousCloseException())).isEqualTo(Reason.DAEMON_GONE);
        // docker-java's client wraps what went wrong
        assertThat(DaemonFailures.reason(new IOException("wrapped", new ConnectException("Connection refused"))))
                .isEqualTo(Reason.DAEMON_GONE);
    }

    @Test
    void anInterruptedWaitIsAnInterruption() {
        assertThat(DaemonFailures.reason(new ClosedByInterruptException())).isEqualTo(Reason.INTERRUPTED);
        assertThat(DaemonFailures.failure("Interrupted while pulling image busybox", new ClosedByInterruptException())
                        .reason())
                .isEqualTo(Reason.INTERRUPTED);
    }

    @Test
    void anAnswerThatIsNoDockerAnswerStaysUnclassified() {
        assertThat(DaemonFailures.reason(new IOException("the Docker daemon's answer has no Id: {}")))
                .isEqualTo(Reason.OTHER);
    }

    @Test
    void aRegistryRefusalIsToldFromOtherPullFailures() {
        assertThat(DaemonFailures.registryRefused(new DockerApiException(
                        500,
                        "Head \"https://127.0.0.1:5055/v2/private/"
                                + "busybox/manifests/1\": no basic auth credentials")))
                .isTrue();
        assertThat(DaemonFailures.registryRefused(new DockerApiException(
                        404,
                        "pull access denied for cleanroom/nothing, "
                                + "repository does not exist or may require 'docker login': denied: requested access to the resource "
                                + "is denied")))
                .isTrue();
        assertThat(DaemonFailures.registryRefused(new DockerApiException(401, "unauthorized")))
                .isTrue();
        assertThat(DaemonFailures.registryRefused(new DockerApiException(
                        404, "manifest for busybox:nope not found: " + "manifest unknown: manifest unknown")))
                .isFalse();
    }

    @Test
    void networksWithContainersAttachedAreToldApart() {
        assertThat(DaemonFailures.activeEndpoints(new DockerApiException(
                        403, "error while removing network: network " + "clnrm-run-1 id 9e1f has active endpoints")))
                .isTrue();
        assertThat(DaemonFailures.activeEndpoints(new DockerApiException(404, "network clnrm-run-1 not found")))
                .isFalse();
    }

    @Test
    void permissionOnTheSocketIsToldApart() {
        assertThat(DaemonFailures.permissionDenied(
                        new IOException("connect", new SocketException("Permission denied"))))
                .isTrue();
        assertThat(DaemonFailures.permissionDenied(new java.nio.file.AccessDeniedException("/var/run/docker.sock")))
                .isTrue();
        assertThat(DaemonFailures.permissionDenied(new ConnectException("Connection refused")))
                .isFalse();
    }
}
