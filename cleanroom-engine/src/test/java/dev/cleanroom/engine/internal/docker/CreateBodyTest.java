package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.VolumeMount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON body of {@code POST /containers/create}, as the Engine API documents its fields. */
class CreateBodyTest {

    @Test
    void everyPartOfTheSpecIsSentWhereTheEngineApiReadsIt() {
        // Arrange
        ContainerSpec spec = ContainerSpec.builder("cleanroom/busybox:fixture")
                .name("clnrm-1234abcd-web")
                .command(List.of("httpd", "-f", "-p", "8080"))
                .entrypoint(List.of("/bin/sh", "-c"))
                .env("GREETING", "hello")
                .port(PortSpec.container(8080))
                .port(PortSpec.parse("0.0.0.0:18081:8081"))
                .volume(new VolumeMount(Path.of("/data/in"), "/in", true))
                .volume(new VolumeMount(Path.of("/data/out"), "/out", false))
                .label("dev.cleanroom.run", "r1")
                .user("1000:1000")
                .workdir("/srv")
                .shmSizeBytes(1L << 30)
                .capAdd("NET_ADMIN")
                .networkMode("clnrm-1234abcd")
                .alias("web")
                .cgroupParent("/docker/abc")
                .stopTimeout(Duration.ofSeconds(3))
                .openStdin(true)
                .build();

        // Act
        String body = Json.write(CreateBody.of(spec));

        // Assert
        assertThat(body)
                .isEqualTo("{\"Image\":\"cleanroom/busybox:fixture\",\"Labels\":{\"dev.cleanroom.run\":\"r1\"},"
                        + "\"Env\":[\"GREETING=hello\"],\"Cmd\":[\"httpd\",\"-f\",\"-p\",\"8080\"],"
                        + "\"Entrypoint\":[\"/bin/sh\",\"-c\"],\"User\":\"1000:1000\",\"WorkingDir\":\"/srv\",\"OpenStdin\":true,"
                        + "\"ExposedPorts\":{\"8080/tcp\":{},\"8081/tcp\":{}},"
                        + "\"HostConfig\":{\"PortBindings\":{\"8080/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}],"
                        + "\"8081/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"18081\"}]},"
                        + "\"Binds\":[\"/data/in:/in:ro\",\"/data/out:/out:rw\"],\"Privileged\":false,\"CapAdd\":[\"NET_ADMIN\"],"
                        + "\"NetworkMode\":\"clnrm-1234abcd\",\"CgroupParent\":\"/docker/abc\",\"ShmSize\":1073741824},"
                        + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"clnrm-1234abcd\":{\"Aliases\":[\"web\"]}}}}");
    }

    @Test
    void forARemoteDaemonPortsWithoutAnAddressArePublishedOnEveryAddressOfItsHost() {
        ContainerSpec spec = ContainerSpec.builder("busybox")
                .port(PortSpec.container(8080))
                .port(PortSpec.parse("192.168.1.5:18081:8081"))
                .build();

        String body = Json.write(CreateBody.of(spec, ServiceReach.remote("tcp://10.231.7.2:2375", "10.231.7.2")));

        assertThat(body)
                .contains("\"PortBindings\":{\"8080/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"\"}],"
                        + "\"8081/tcp\":[{\"HostIp\":\"192.168.1.5\",\"HostPort\":\"18081\"}]}");
    }

    @Test
    void inAContainerOfTheDaemonBindMountsNameTheDaemonHostsPath() {
        ContainerSpec spec = ContainerSpec.builder("busybox")
                .volume(new VolumeMount(Path.of("/work/src/it/site"), "/www", true))
                .build();
        ServiceReach reach = ServiceReach.inContainer(
                "unix:///var/run/docker.sock",
                "a".repeat(64),
                List.of(new ServiceReach.Mount("/home/ci/project", "/work")));

        String body = Json.write(CreateBody.of(spec, reach));

        assertThat(body).contains("\"Binds\":[\"/home/ci/project/src/it/site:/www:ro\"]");
    }

    @Test
    void aPlainSpecSendsNoOptionalFieldAndIsNeverPrivileged() {
        // Act
        String body = Json.write(CreateBody.of(ContainerSpec.builder("busybox").build()));

        // Assert
        assertThat(body)
                .isEqualTo("{\"Image\":\"busybox\",\"Labels\":{},\"Env\":[],\"ExposedPorts\":{},"
                        + "\"HostConfig\":{\"PortBindings\":{},\"Binds\":[],\"Privileged\":false,\"CapAdd\":[]}}");
    }

    @Test
    void gpusAreADeviceRequestForTheGpuCapabilityByCountOrByDevice() {
        // Act
        String all = Json.write(CreateBody.of(
                ContainerSpec.builder("vllm").gpus(GpuRequest.all()).build()));
        String two = Json.write(CreateBody.of(
                ContainerSpec.builder("vllm").gpus(GpuRequest.count(2)).build()));
        String ids = Json.write(CreateBody.of(ContainerSpec.builder("vllm")
                .gpus(GpuRequest.devices(List.of("0", "GPU-3f2a")))
                .build()));

        // Assert: Count -1 is "all GPUs", as docker run --gpus all sends
        assertThat(all).contains("\"DeviceRequests\":[{\"Driver\":\"\",\"Count\":-1,\"Capabilities\":[[\"gpu\"]]}]");
        assertThat(two).contains("\"DeviceRequests\":[{\"Driver\":\"\",\"Count\":2,\"Capabilities\":[[\"gpu\"]]}]");
        assertThat(ids)
                .contains("\"DeviceRequests\":[{\"Driver\":\"\",\"DeviceIDs\":[\"0\",\"GPU-3f2a\"],"
                        + "\"Capabilities\":[[\"gpu\"]]}]");
    }
}
