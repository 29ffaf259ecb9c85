package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.spi.Json;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerInspectTest {

    /** Trimmed from Docker 27's answer for a container on the run's network with 8080 published. */
    private static final String INSPECTED = """
            {"State":{"Status":"exited","Running":false,"OOMKilled":true,"ExitCode":137,"Error":""},
             "NetworkSettings":{
               "Ports":{"8080/tcp":[{"HostIp":"0.0.0.0","HostPort":"32771"},{"HostIp":"::","HostPort":"32771"}],
                        "9090/tcp":null},
               "Networks":{"bridge":{"IPAddress":"172.17.0.4"},
                           "clnrm-run-1":{"IPAddress":"","GlobalIPv6Address":"fd00::5"}}}}
            """;

    @Test
    void readsStatePortsAndAddresses() {
        // Act
        ContainerInspect inspected = ContainerInspect.of(Json.object(INSPECTED).orElseThrow());

        // Assert
        assertThat(inspected.state().running()).isFalse();
        assertThat(inspected.state().exitCode()).isEqualTo(137);
        assertThat(inspected.state().oomKilled()).isTrue();
        assertThat(inspected.state().status()).isEqualTo("exited");
        assertThat(inspected.publishedPorts()).isEqualTo(Map.of(8080, 32771));
        assertThat(inspected.address(Optional.of("clnrm-run-1"))).hasValue("fd00::5");
        assertThat(inspected.address(Optional.of("elsewhere"))).hasValue("172.17.0.4");
        assertThat(inspected.address(Optional.empty())).hasValue("172.17.0.4");
    }

    @Test
    void aContainerOnNoNetworkHasNoAddress() {
        ContainerInspect inspected = ContainerInspect.of(
                Json.object("{\"State\":{\"Running\":true}}").orElseThrow());

        assertThat(inspected.state().running()).isTrue();
        assertThat(inspected.publishedPorts()).isEmpty();
        assertThat(inspected.address(Optional.of("clnrm-run-1"))).isEmpty();
    }
}
