package dev.cleanroom.engine.internal.docker;

import static dev.cleanroom.engine.internal.docker.DockerRuntimeOutputTest.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.CleanroomException.Reason;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.PortSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What DockerRuntime throws when the daemon refuses: the message users read, and the reason code decides on. */
class DockerRuntimeFailuresTest {

    private static final String PORT_ALLOCATED = "driver failed programming external connectivity on endpoint "
            + "clnrm-web (3f1a9c): Bind for 0.0.0.0:8080 failed: port is already allocated";

    /** Answers by "METHOD path suffix"; anything else is a 404. */
    private final Map<String, String[]> script = new LinkedHashMap<>();

    @Test
    void aTakenHostPortIsPortTakenWithTheHintAndTheStatus() {
        // Arrange
        script.put("POST /containers/create", ok("{\"Id\":\"c1\"}"));
        script.put("POST /containers/c1/start", refusal(500, PORT_ALLOCATED));
        script.put("DELETE /containers/c1?force=true&v=true", ok(""));

        // Act
        CleanroomException thrown = catchThrowableOfType(
                CleanroomException.class,
                () -> runtime()
                        .startContainer(ContainerSpec.builder("busybox")
                                .port(PortSpec.parse("8080:8080"))
                                .build()));

        // Assert
        assertThat(thrown.reason()).isEqualTo(Reason.PORT_TAKEN);
        assertThat(thrown.httpStatus()).hasValue(500);
        assertThat(thrown)
                .hasMessage("Container for image busybox could not start: a host port is already in use "
                        + "(HTTP 500: " + PORT_ALLOCATED
                        + "). Perhaps you should let Docker choose the host port: write "
                        + "ports = [\"8080\"] instead of \"8080:8080\".");
    }

    @Test
    void aGpuTheDaemonCannotGiveIsGpuRefused() {
        // Arrange
        script.put("POST /containers/create", ok("{\"Id\":\"c1\"}"));
        script.put(
                "POST /containers/c1/start",
                refusal(500, "could not select device driver \"\" with capabilities: [[gpu]]"));
        script.put("DELETE /containers/c1?force=true&v=true", ok(""));

        // Act
        CleanroomException thrown = catchThrowableOfType(
                CleanroomException.class,
                () -> runtime()
                        .startContainer(ContainerSpec.builder("vllm")
                                .gpus(GpuRequest.all())
                                .build()));

        // Assert
        assertThat(thrown.reason()).isEqualTo(Reason.GPU_REFUSED);
        assertThat(new CleanroomException("vLLM could not start", thrown).reason())
                .isEqualTo(Reason.GPU_REFUSED);
        assertThat(thrown)
                .hasMessage("Container for image vllm could not start: HTTP 500: could not select device "
                        + "driver \"\" with capabilities: [[gpu]]");
    }

    @Test
    void aRemovalAlreadyUnderWayIsNoFailureButAnotherConflictIs() throws Exception {
        // Arrange
        script.put(
                "DELETE /containers/c1?force=true&v=true",
                refusal(409, "removal of container c1 is already in progress"));
        script.put(
                "DELETE /containers/c2?force=true&v=true",
                refusal(
                        409,
                        "You cannot remove a running container c2. "
                                + "Stop the container before attempting removal or force remove"));

        // Act + Assert
        assertThatCode(() -> runtime().removeContainer("c1", Duration.ZERO)).doesNotThrowAnyException();
        CleanroomException thrown =
                catchThrowableOfType(CleanroomException.class, () -> runtime().removeContainer("c2", Duration.ZERO));
        assertThat(thrown.reason()).isEqualTo(Reason.DAEMON_REFUSED);
        assertThat(thrown.httpStatus()).hasValue(409);
    }

    @Test
    void aNameTakenIsNoFailureOfCreateNamedWhetherDockerSays409OrPodman500() throws Exception {
        // Arrange: Docker refuses a second container of one name with 409, Podman 4.3 with 500
        // (its words, as its API service answered here)
        script.put(
                "POST /containers/create?name=clnrm-lock-docker",
                refusal(
                        409,
                        "Conflict. The container name \"/clnrm-lock-docker\" is already in use by container "
                                + "\"3f1a9c0d2b7e\". You have to remove (or rename) that container to be able to "
                                + "reuse that name."));
        script.put(
                "POST /containers/create?name=clnrm-lock-podman",
                refusal(
                        500,
                        "container create: creating container storage: the container name \"clnrm-lock-podman\" "
                                + "is already in use by f457ea5020ca. You have to remove that container to be able "
                                + "to reuse that name: that name is already in use"));

        // Act + Assert: the lock is held by another build, on either engine
        assertThat(runtime().createNamed(lock("clnrm-lock-docker"))).isEmpty();
        assertThat(runtime().createNamed(lock("clnrm-lock-podman"))).isEmpty();
    }

    @Test
    void aContainerPodmanSaysIsNotInItsDatabaseIsGoneAsDockersNotFoundIs() throws Exception {
        // Arrange: a container removed while it is inspected; Podman 4.3's compat API answers 500
        script.put(
                "GET /containers/gone-podman/json",
                refusal(500, "container 5c8c8d075059 does not exist in database: no such container"));
        script.put("GET /containers/gone-docker/json", refusal(404, "No such container: gone-docker"));
        script.put("GET /containers/broken/json", refusal(500, "database is locked"));

        // Act + Assert: gone on either engine; any other 500 stays a failure
        assertThat(runtime().inspect("gone-podman").status()).isEqualTo("removed");
        assertThat(runtime().inspect("gone-docker").status()).isEqualTo("removed");
        CleanroomException thrown =
                catchThrowableOfType(CleanroomException.class, () -> runtime().inspect("broken"));
        assertThat(thrown.httpStatus()).hasValue(500);
    }

    @Test
    void anyOtherRefusalOfCreateNamedIsAFailure() {
        // Arrange
        script.put(
                "POST /containers/create?name=clnrm-lock-x",
                refusal(500, "container create: allocating lock for new container: no space left on device"));

        // Act
        CleanroomException thrown =
                catchThrowableOfType(CleanroomException.class, () -> runtime().createNamed(lock("clnrm-lock-x")));

        // Assert
        assertThat(thrown.httpStatus()).hasValue(500);
        assertThat(thrown)
                .hasMessage("Could not create a container from image busybox: HTTP 500: container create: "
                        + "allocating lock for new container: no space left on device");
    }

    private static ContainerSpec lock(String name) {
        return ContainerSpec.builder("busybox").name(name).build();
    }

    @Test
    void anImageNoRegistryHasIsImageMissing() {
        // Arrange: create says the image is missing, and so does the registry
        script.put(
                "POST /images/create?fromImage=cleanroom%2Fnothing&tag=here",
                refusal(
                        404,
                        "pull access denied for cleanroom/nothing, repository does not exist or may require "
                                + "'docker login'"));

        // Act
        CleanroomException thrown = catchThrowableOfType(
                CleanroomException.class,
                () -> runtime()
                        .startContainer(
                                ContainerSpec.builder("cleanroom/nothing:here").build()));

        // Assert
        assertThat(thrown.reason()).isEqualTo(Reason.IMAGE_MISSING);
    }

    @Test
    void aDaemonThatIsGoneIsDaemonGone() {
        // Arrange
        DockerTransport refusing = new DockerRuntimeOutputTest.ScriptedTransport() {
            @Override
            public Exchange exchange(
                    String method, String path, Map<String, String> headers, byte[] body, Duration idleTimeout)
                    throws java.io.IOException {
                throw new java.net.ConnectException("Connection refused");
            }
        };
        DockerRuntime runtime = new DockerRuntime(new DockerApi(refusing, "1.41"), "127.0.0.1", EngineLog.silent());

        // Act
        CleanroomException thrown =
                catchThrowableOfType(CleanroomException.class, () -> runtime.findContainers("dev.cleanroom.run"));

        // Assert
        assertThat(thrown.reason()).isEqualTo(Reason.DAEMON_GONE);
        assertThat(thrown).hasMessage("Could not list containers: ConnectException: Connection refused");
    }

    private static String[] ok(String body) {
        return new String[] {"200", body};
    }

    private static String[] refusal(int status, String daemonSaid) {
        return new String[] {
            Integer.toString(status), "{\"message\":" + dev.cleanroom.engine.spi.Json.quote(daemonSaid) + "}"
        };
    }

    private DockerRuntime runtime() {
        DockerTransport transport = new DockerRuntimeOutputTest.ScriptedTransport() {
            @Override
            public Exchange exchange(
                    String method, String path, Map<String, String> headers, byte[] body, Duration idleTimeout) {
                for (Map.Entry<String, String[]> step : script.entrySet()) {
                    String[] call = step.getKey().split(" ", 2);
                    if (call[0].equals(method) && (path.endsWith(call[1]) || path.contains(call[1] + "?"))) {
                        return answer(
                                Integer.parseInt(step.getValue()[0]),
                                step.getValue()[1].getBytes(StandardCharsets.UTF_8));
                    }
                }
                return answer(404, "{\"message\":\"No such image: in this script\"}".getBytes(StandardCharsets.UTF_8));
            }
        };
        return new DockerRuntime(new DockerApi(transport, "1.41"), "127.0.0.1", EngineLog.silent());
    }
}
