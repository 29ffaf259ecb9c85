package dev.cleanroom.engine.internal.docker;

import static dev.cleanroom.engine.internal.docker.DockerRuntimeOutputTest.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.spi.CleanroomException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a build asks the daemon of a network kept for reuse, which it did not create: in a
 * container it joins it (once), and never removes it; on the host it asks nothing.
 */
class DockerRuntimeReusedNetworkTest {

    private static final String SELF = "b".repeat(64);
    private static final String NETWORK = "clnrm-reuse-0123456789ab";

    /** Answers by "METHOD path"; anything else is a 404. */
    private final Map<String, String[]> script = new LinkedHashMap<>();

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aBuildInAContainerJoinsAKeptNetworkItIsNotOn() throws Exception {
        // Arrange: the network an earlier build (in another container) created, with db on it
        script.put("GET /networks/n1", ok(network(Map.of("d1", "clnrm-reuse-0123456789ab-db"))));
        script.put("POST /networks/n1/connect", ok(""));
        DockerRuntime runtime = runtime(inContainer());

        // Act
        runtime.joinNetwork("n1");

        // Assert
        assertThat(calls)
                .containsExactly("GET /networks/n1", "POST /networks/n1/connect {\"Container\":\"" + SELF + "\"}");
    }

    @Test
    void aBuildInAContainerAlreadyOnTheNetworkDoesNotJoinItTwice() throws Exception {
        // Arrange: its adoption sent it back for the lock, which finds the network again
        script.put("GET /networks/n1", ok(network(Map.of(SELF, "maven-build", "d1", "clnrm-reuse-0123456789ab-db"))));
        DockerRuntime runtime = runtime(inContainer());

        // Act
        runtime.joinNetwork("n1");

        // Assert
        assertThat(calls).containsExactly("GET /networks/n1");
    }

    @Test
    void aJoinTheDaemonRefusesSaysWhyAndWhatToDoAndLeavesTheNetwork() {
        // Arrange
        script.put("GET /networks/n1", ok(network(Map.of())));
        script.put("POST /networks/n1/connect", new String[] {"500", "{\"message\":\"no free addresses\"}"});
        DockerRuntime runtime = runtime(inContainer());

        // Act
        CleanroomException thrown = catchThrowableOfType(CleanroomException.class, () -> runtime.joinNetwork("n1"));

        // Assert: the next build's network is not removed for this build's failure
        assertThat(thrown)
                .hasMessageStartingWith("Could not connect this build's container " + SELF + " to network " + NETWORK
                        + " (HTTP 500: no free addresses), so it could not reach the services there. Perhaps you "
                        + "should set -Dcleanroom.hostAddress=");
        assertThat(calls).noneMatch(call -> call.startsWith("DELETE"));
    }

    @Test
    void aBuildOnTheDaemonsHostJoinsNothing() throws Exception {
        // Arrange
        DockerRuntime runtime = runtime(ServiceReach.onHost("unix:///var/run/docker.sock"));

        // Act
        runtime.joinNetwork("n1");

        // Assert
        assertThat(calls).isEmpty();
    }

    private static ServiceReach inContainer() {
        return ServiceReach.inContainer("unix:///var/run/docker.sock", SELF, List.of());
    }

    private static String network(Map<String, String> attached) {
        StringBuilder containers = new StringBuilder();
        attached.forEach((id, name) -> containers
                .append(containers.length() == 0 ? "" : ",")
                .append("\"")
                .append(id)
                .append("\":{\"Name\":\"")
                .append(name)
                .append("\"}"));
        return "{\"Id\":\"n1\",\"Name\":\"" + NETWORK + "\",\"Containers\":{" + containers + "}}";
    }

    private static String[] ok(String body) {
        return new String[] {"200", body};
    }

    private DockerRuntime runtime(ServiceReach reach) {
        DockerTransport transport = new DockerRuntimeOutputTest.ScriptedTransport() {
            @Override
            public Exchange exchange(
                    String method, String path, Map<String, String> headers, byte[] body, Duration idleTimeout) {
                String call = method + " " + path.replaceFirst("^/v[0-9.]+", "");
                calls.add(
                        body == null || body.length == 0
                                ? call
                                : call + " " + new String(body, StandardCharsets.UTF_8));
                String[] answer = script.get(call);
                if (answer == null) {
                    return answer(404, "{\"message\":\"not in this script\"}".getBytes(StandardCharsets.UTF_8));
                }
                return answer(Integer.parseInt(answer[0]), answer[1].getBytes(StandardCharsets.UTF_8));
            }
        };
        return new DockerRuntime(new DockerApi(transport, "1.41"), "127.0.0.1", EngineLog.silent()).withReach(reach);
    }
}
