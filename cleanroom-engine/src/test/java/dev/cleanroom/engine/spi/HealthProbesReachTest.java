package dev.cleanroom.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A probe that cannot connect says where it dialled, so the engine can say why it dialled there. */
class HealthProbesReachTest {

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aTcpProbeThatCannotConnectNamesTheAddressItDialled() throws Exception {
        int port = closedPort();

        HealthStatus status = HealthProbes.tcp("127.0.0.1", port, Duration.ofSeconds(2));

        assertThat(status.isHealthy()).isFalse();
        assertThat(status.dialled()).isEqualTo("127.0.0.1:" + port);
    }

    @Test
    void anHttpProbeThatCannotConnectNamesTheAddressItDialled() throws Exception {
        int port = closedPort();

        HealthStatus status = HealthProbes.http("http://127.0.0.1:" + port + "/health", Duration.ofSeconds(2));

        assertThat(status.isHealthy()).isFalse();
        assertThat(status.dialled()).isEqualTo("127.0.0.1:" + port);
    }

    @Test
    void anHttpServerThatAcceptsButNeverAnswersWasReachedSoItsTimeoutIsNotAnAddressProblem() throws Exception {
        // The connect succeeds (the backlog accepts it); the answer never comes, so the read times out.
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            HealthStatus status =
                    HealthProbes.http("http://127.0.0.1:" + silent.getLocalPort() + "/health", Duration.ofMillis(300));

            assertThat(status.isHealthy()).isFalse();
            assertThat(status.dialled()).isEmpty();
            assertThat(status.detail()).contains("SocketTimeoutException");
        }
    }

    @Test
    void aCheckThatReachedTheServiceDialledNothingWorthExplaining() {
        assertThat(HealthStatus.notYet("HTTP 503 from http://127.0.0.1:1/").dialled())
                .isEmpty();
        assertThat(HealthStatus.ok().dialled()).isEmpty();
    }
}
