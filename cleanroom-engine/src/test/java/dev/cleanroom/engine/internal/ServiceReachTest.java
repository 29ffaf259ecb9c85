package dev.cleanroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.VolumeMount;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceReachTest {

    private static final String SOCKET = "unix:///var/run/docker.sock";
    private static final List<PortSpec> HTTP = List.of(PortSpec.container(8080));
    private static final Map<Integer, Integer> PUBLISHED = Map.of(8080, 32768);

    @Test
    void unixSocketsAndLoopbackTcpAreLocalDaemonsAndOtherTcpHostsAreRemote() {
        assertThat(ServiceReach.isRemote(URI.create(SOCKET))).isFalse();
        assertThat(ServiceReach.isRemote(URI.create("tcp://localhost:2375"))).isFalse();
        assertThat(ServiceReach.isRemote(URI.create("tcp://127.0.0.1:2375"))).isFalse();
        assertThat(ServiceReach.isRemote(URI.create("tcp://[::1]:2375"))).isFalse();
        assertThat(ServiceReach.isRemote(URI.create("tcp://docker:2375"))).isTrue();
        assertThat(ServiceReach.isRemote(URI.create("tcp://10.231.7.2:2376"))).isTrue();
    }

    @Test
    void onTheDaemonsHostPortsArePublishedAndReachedOnLoopback() {
        ServiceReach reach = ServiceReach.onHost(SOCKET);

        ContainerInfo info = reach.exported("c1", "db", HTTP, PUBLISHED, Optional.of("172.18.0.2"));

        assertThat(reach.published(PortSpec.container(8080)).hostIp()).isEqualTo("127.0.0.1");
        assertThat(info.host()).isEqualTo("127.0.0.1");
        assertThat(info.address(8080)).isEqualTo("127.0.0.1:32768");
        assertThat(reach.joinsRunNetwork()).isFalse();
        assertThat(reach.sharesProcessesWithDaemon()).isTrue();
        assertThat(reach.exposureWarning()).isEmpty();
        assertThat(reach.describe())
                .isEqualTo("Services are reached at 127.0.0.1: this build runs on the Docker "
                        + "daemon's host (unix:///var/run/docker.sock); ports are published on 127.0.0.1");
    }

    @Test
    void inAContainerOfTheDaemonServicesAreReachedAtTheirIpOnTheRunsNetworkOnTheContainerPort() {
        ServiceReach reach = ServiceReach.inContainer(SOCKET, "0123456789ab" + "c".repeat(52), List.of());

        ContainerInfo info = reach.exported("c1", "db", HTTP, PUBLISHED, Optional.of("172.18.0.2"));

        assertThat(info.host()).isEqualTo("172.18.0.2");
        assertThat(info.address(8080)).isEqualTo("172.18.0.2:8080");
        assertThat(reach.joinsRunNetwork()).isTrue();
        assertThat(reach.sharesProcessesWithDaemon()).isFalse();
        assertThat(reach.published(PortSpec.container(8080)).hostIp()).isEqualTo("127.0.0.1");
        assertThat(reach.describe())
                .isEqualTo("Services are reached at their IP addresses on the run's network: this "
                        + "build runs in container 0123456789ab of the Docker daemon (unix:///var/run/docker.sock), which joins "
                        + "that network; tests get each service's IP and container port");
    }

    @Test
    void withARemoteDaemonPortsArePublishedOnEveryAddressAndReachedAtTheDaemonsHost() {
        ServiceReach reach = ServiceReach.remote("tcp://10.231.7.2:2375", "10.231.7.2");

        ContainerInfo info = reach.exported("c1", "db", HTTP, PUBLISHED, Optional.empty());

        assertThat(reach.published(PortSpec.container(8080)).hostIp()).isEqualTo("0.0.0.0");
        assertThat(reach.published(PortSpec.parse("192.168.1.5:18080:8080")).hostIp())
                .isEqualTo("192.168.1.5");
        assertThat(info.address(8080)).isEqualTo("10.231.7.2:32768");
        assertThat(reach.checksBindMounts()).isTrue();
        assertThat(reach.sharesProcessesWithDaemon()).isFalse();
        assertThat(reach.describe())
                .isEqualTo("Services are reached at 10.231.7.2: the Docker daemon is on another "
                        + "host (tcp://10.231.7.2:2375); ports are published on 0.0.0.0 there");
        assertThat(reach.exposureWarning())
                .contains(
                        "The services' ports are published on every address of the Docker "
                                + "daemon's host, so its network can reach them while they run: a daemon on another host "
                                + "(tcp://10.231.7.2:2375) requires it. Perhaps you should use a daemon on a network only your builds reach");
    }

    @Test
    void anOverrideIsTheExportedHostAndPublishesOnEveryAddressUnlessItIsLoopback() {
        ServiceReach.Override override =
                ServiceReach.override(null, null, "host.docker.internal").orElseThrow();
        ServiceReach reach =
                ServiceReach.inContainer(SOCKET, "a".repeat(64), List.of()).overriddenBy(override);

        ContainerInfo info = reach.exported("c1", "db", HTTP, PUBLISHED, Optional.of("172.18.0.2"));

        assertThat(info.address(8080)).isEqualTo("host.docker.internal:32768");
        assertThat(reach.joinsRunNetwork()).isFalse();
        assertThat(reach.published(PortSpec.container(8080)).hostIp()).isEqualTo("0.0.0.0");
        assertThat(reach.describe())
                .isEqualTo("Services are reached at host.docker.internal as CLEANROOM_HOST_ADDRESS "
                        + "says (detected: this build runs in container aaaaaaaaaaaa of the Docker daemon "
                        + "(unix:///var/run/docker.sock)); ports are published on 0.0.0.0");
        ServiceReach loopback = ServiceReach.onHost(SOCKET)
                .overriddenBy(ServiceReach.override("127.0.0.2", null, null).orElseThrow());
        assertThat(loopback.published(PortSpec.container(8080)).hostIp()).isEqualTo("127.0.0.1");
        assertThat(loopback.exposureWarning()).isEmpty();
    }

    @Test
    void theConfiguredOverrideWinsOverTheSystemPropertyWhichWinsOverTheEnvironment() {
        assertThat(ServiceReach.override("a", "b", "c"))
                .contains(new ServiceReach.Override("a", "cleanroom.hostAddress"));
        assertThat(ServiceReach.override(" ", "b", "c"))
                .contains(new ServiceReach.Override("b", "cleanroom.hostAddress"));
        assertThat(ServiceReach.override(null, "", "c"))
                .contains(new ServiceReach.Override("c", "CLEANROOM_HOST_ADDRESS"));
        assertThat(ServiceReach.override(null, null, " ")).isEmpty();
        assertThat(ServiceReach.override("[::1]", null, null))
                .contains(new ServiceReach.Override("::1", "cleanroom.hostAddress"));
    }

    @Test
    void anOverrideThatIsNotAnAddressIsRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> ServiceReach.override(null, null, "http://docker:2375"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CLEANROOM_HOST_ADDRESS = \"http://docker:2375\" is not a host address. Perhaps you should "
                        + "write only the host name or IP address the build reaches the services' ports on, e.g. "
                        + "CLEANROOM_HOST_ADDRESS=host.docker.internal or 172.17.0.1 (no scheme, port or path)");
        assertThatThrownBy(() -> ServiceReach.override("docker:2375", null, null))
                .hasMessageStartingWith("cleanroom.hostAddress = \"docker:2375\" is not a host address.");
    }

    @Test
    void anSshDaemonIsRefusedWithTheReasonAndAWayOut() {
        assertThatThrownBy(() -> ServiceReach.refuseSsh("ssh://me@build-host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DOCKER_HOST=ssh://me@build-host is an ssh:// daemon, which Cleanroom does not support: it "
                        + "speaks to a daemon over a unix socket or tcp, and its services' ports would not be reachable "
                        + "through the ssh connection. Perhaps you should forward the daemon's socket (ssh -nNT -L "
                        + "/tmp/docker.sock:/var/run/docker.sock HOST) and set DOCKER_HOST=unix:///tmp/docker.sock "
                        + "together with -Dcleanroom.hostAddress=<an address of HOST this build can reach>, or use "
                        + "tcp://HOST:2376 with TLS");
        ServiceReach.refuseSsh("tcp://docker:2375");
        ServiceReach.refuseSsh(null);
    }

    @Test
    void inAContainerAVolumesPathIsTranslatedThroughTheDeepestMountHoldingIt() {
        ServiceReach reach = ServiceReach.inContainer(
                SOCKET,
                "b".repeat(64),
                List.of(
                        new ServiceReach.Mount("/home/ci/project", "/work"),
                        new ServiceReach.Mount("/srv/cache/data", "/work/target/data"),
                        new ServiceReach.Mount("/var/run/docker.sock", "/var/run/docker.sock")));

        assertThat(reach.daemonPath(Path.of("/work/src/it/web"))).contains(Path.of("/home/ci/project/src/it/web"));
        assertThat(reach.daemonPath(Path.of("/work"))).contains(Path.of("/home/ci/project"));
        assertThat(reach.daemonPath(Path.of("/work/target/data/x"))).contains(Path.of("/srv/cache/data/x"));
        assertThat(reach.daemonPath(Path.of("/workspace/x"))).isEmpty();
        assertThat(ServiceReach.onHost(SOCKET).daemonPath(Path.of("/workspace/x")))
                .contains(Path.of("/workspace/x"));
    }

    @Test
    void aVolumeOutsideEveryMountOfTheBuildsContainerIsRefusedWithWhyAndWhatToDo() {
        ServiceReach reach = ServiceReach.inContainer(
                SOCKET,
                "b".repeat(64),
                List.of(new ServiceReach.Mount("/var/run/docker.sock", "/var/run/docker.sock")));

        String message = reach.untranslatable(new VolumeMount(Path.of("/build/web"), "/www", true));

        assertThat(message)
                .isEqualTo("Volume /build/web:/www cannot be mounted: this build runs in container "
                        + "bbbbbbbbbbbb and /build/web is a path inside it that is not on any of its mounts, so the Docker "
                        + "daemon cannot see it. Perhaps you should mount the project directory into the build's container "
                        + "(docker run -v \"$PWD\":\"$PWD\" -w \"$PWD\" ...), or keep the volume's files under a directory "
                        + "that is mounted (mounted: /var/run/docker.sock)");
    }

    @Test
    void aHealthCheckThatCannotReachAServiceSaysWhereItDialledWhyAndHowToOverride() {
        assertThat(ServiceReach.onHost(SOCKET).dialHint("127.0.0.1:32768"))
                .isEqualTo("Cleanroom dialled "
                        + "127.0.0.1:32768 because this build runs on the Docker daemon's host (unix:///var/run/docker.sock). "
                        + "Perhaps you should set the address this build reaches the services' ports on: "
                        + "-Dcleanroom.hostAddress=ADDRESS or CLEANROOM_HOST_ADDRESS=ADDRESS");
        assertThat(ServiceReach.remote("tcp://docker:2375", "docker").dialHint("docker:32768"))
                .startsWith("Cleanroom dialled docker:32768 because the Docker daemon is on another host "
                        + "(tcp://docker:2375). Perhaps you should");
    }
}
