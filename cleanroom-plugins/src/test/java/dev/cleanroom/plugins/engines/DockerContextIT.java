package dev.cleanroom.plugins.engines;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.plugins.DockerCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build whose daemon is named by a docker context with a Unix endpoint (what Colima, OrbStack,
 * Rancher Desktop and Podman set up) speaks to it with the built-in client: no docker-java class
 * is loaded, so the context costs nothing over DOCKER_HOST.
 */
class DockerContextIT {

    @TempDir
    Path dir;

    private final String project = "it-context-" + UUID.randomUUID();

    @AfterEach
    void nothingRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    /** A DOCKER_CONFIG whose current context points at {@code host}, as docker context create/use writes it. */
    static Path dockerConfigWithContext(Path dir, String name, String host) throws Exception {
        Path config = Files.createDirectories(dir.resolve("docker-config"));
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        Path meta = Files.createDirectories(config.resolve("contexts/meta").resolve(hash))
                .resolve("meta.json");
        Files.writeString(
                meta,
                "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"" + host
                        + "\",\"SkipTLSVerify\":false}}}");
        Files.writeString(config.resolve("config.json"), "{\"auths\":{},\"currentContext\":\"" + name + "\"}");
        return config;
    }

    @Test
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRunThroughADockerContextWithAUnixEndpointLoadsNoDockerJavaClass() throws Exception {
        // Arrange
        Path config = dockerConfigWithContext(dir, "cleanroom-it", "unix:///var/run/docker.sock");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path file = dir.resolve("context.clnrm.toml");
        Files.writeString(file, """
                [services.web]
                type = "generic_container"
                image = "%s"
                command = ["sh", "-c", "mkdir -p /www && echo 'through the context' > /www/index.html && exec httpd -f -p 8080 -h /www"]
                ports = ["8080"]
                health.http = "/"
                stop_timeout = "1s"

                [[steps]]
                name = "fetch"
                command = ["wget", "-q", "-O", "-", "http://127.0.0.1:8080/"]
                expected_output_regex = "^through the context$"
                """.formatted(BUSYBOX));

        // Act
        ChildBuild.Outcome outcome =
                ChildBuild.run(file, project, dir, home, Map.of("DOCKER_CONFIG", config.toString()));

        // Assert
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains("DEBUG Docker daemon at unix:///var/run/docker.sock (docker context \"cleanroom-it\"), "
                        + "API version ")
                .contains("STEP fetch PASSED");
        assertThat(outcome.loadedClasses())
                .as("classes the run loaded")
                .anyMatch(line -> line.contains("dev.cleanroom.engine.internal.docker.SocketTransport "))
                .noneMatch(line -> line.contains("com.github.dockerjava"));
    }
}
