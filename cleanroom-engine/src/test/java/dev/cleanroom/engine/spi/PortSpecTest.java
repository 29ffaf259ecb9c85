package dev.cleanroom.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortSpecTest {

    private static final String NOT_A_MAPPING =
            " is not a port mapping; write \"8080\", \"18080:8080\" (host:container) "
                    + "or \"0.0.0.0:18080:8080\" to bind another address";

    @ParameterizedTest(name = "\"{0}\" -> {1} {2}:{3}/{4}")
    @CsvSource({
        "8080,                  127.0.0.1, 0,     8080,  tcp",
        "18080:8080,            127.0.0.1, 18080, 8080,  tcp",
        "0:8080,                127.0.0.1, 0,     8080,  tcp",
        "0.0.0.0:18080:8080,    0.0.0.0,   18080, 8080,  tcp",
        "192.168.1.5:80:8080,   192.168.1.5, 80,  8080,  tcp",
        "10.0.0.1:8080,         10.0.0.1,  0,     8080,  tcp",
        "53/udp,                127.0.0.1, 0,     53,    udp",
        "5353:53/udp,           127.0.0.1, 5353,  53,    udp",
        "8080/tcp,              127.0.0.1, 0,     8080,  tcp",
        "[::1]:8080:80,         ::1,       8080,  80,    tcp",
        "[::]:8080:80/udp,      ::,        8080,  80,    udp",
        "[fe80::1:AbCd]:9000,   fe80::1:AbCd, 0,  9000,  tcp",
        "1,                     127.0.0.1, 0,     1,     tcp",
        "65535:65535,           127.0.0.1, 65535, 65535, tcp",
        "' 8080 ',              127.0.0.1, 0,     8080,  tcp"
    })
    void parsesEveryAcceptedForm(String text, String ip, int host, int container, String protocol) {
        // Act
        PortSpec port = PortSpec.parse(text);

        // Assert
        assertThat(port).isEqualTo(new PortSpec(ip, host, container, protocol));
    }

    @Test
    void withoutAnAddressThePortIsPublishedOnLoopbackOnly() {
        assertThat(PortSpec.parse("8080").hostIp()).isEqualTo("127.0.0.1").isEqualTo(PortSpec.LOOPBACK);
        assertThat(PortSpec.container(8080)).isEqualTo(new PortSpec("127.0.0.1", 0, 8080, "tcp"));
    }

    @Test
    void constructorDefaultsAMissingAddressAndProtocol() {
        assertThat(new PortSpec(null, 0, 80, null)).isEqualTo(new PortSpec("127.0.0.1", 0, 80, "tcp"));
        assertThat(new PortSpec("", 0, 80, "udp").hostIp()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "abc",
                "http",
                "-1",
                "8080:",
                ":8080",
                "80:80:80",
                "123456",
                "8080/sctp",
                "8080/TCP",
                "8080-8090",
                "1.2.3:80:80",
                "localhost:80:80",
                "[::1]80",
                "::1:80:80",
                "80 80",
                "8080/"
            })
    void malformedTextIsRefusedWithTheAcceptedForms(String text) {
        assertThatThrownBy(() -> PortSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\"" + NOT_A_MAPPING);
    }

    @ParameterizedTest
    @CsvSource({
        "0,            container port 0 is outside 1..65535",
        "65536,        container port 65536 is outside 1..65535",
        "99999,        container port 99999 is outside 1..65535",
        "65536:80,     host port 65536 is outside 0..65535",
        "80:70000,     container port 70000 is outside 1..65535",
        "0.0.0.0:1:0,  container port 0 is outside 1..65535"
    })
    void portOutOfRangeIsRefusedNamingWhichPort(String text, String message) {
        assertThatThrownBy(() -> PortSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void constructorRefusesANegativeHostPort() {
        assertThatThrownBy(() -> new PortSpec("127.0.0.1", -1, 80, "tcp"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host port -1 is outside 0..65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"999.1.1.1:80:80", "256.0.0.1:8080", "1.2.3.300:80:80"})
    void ipv4AddressWithAnOctetOver255IsRefused(String text) {
        assertThatThrownBy(() -> PortSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @ParameterizedTest
    @CsvSource({
        "8080, 127.0.0.1",
        "127.0.0.1:18080:8080, 127.0.0.1",
        "0.0.0.0:18080:8080, 127.0.0.1",
        "[::]:18080:8080, 127.0.0.1",
        "[::1]:18080:8080, ::1",
        "192.168.1.5:18080:8080, 192.168.1.5",
    })
    void aPortIsReachedWhereTheUserBoundItOrAtTheDaemonsAddress(String written, String host) {
        assertThat(PortSpec.parse(written).reachableHost("127.0.0.1")).isEqualTo(host);
    }

    @Test
    void anIpv6HostIsBracketedInAnAddress() {
        assertThat(PortSpec.hostAndPort("::1", 18080)).isEqualTo("[::1]:18080");
        assertThat(PortSpec.hostAndPort("127.0.0.1", 18080)).isEqualTo("127.0.0.1:18080");
        assertThat(PortSpec.hostAndPort("docker.example", 18080)).isEqualTo("docker.example:18080");
    }
}
