package dev.cleanroom.engine.internal.docker;

import static dev.cleanroom.engine.internal.docker.DockerRuntimeOutputTest.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.RegistryLogin;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull sends the credentials {@link RegistryAuthLocator} finds for the image's registry, and a
 * registry's refusal names the image, the registry and the source tried, never the secret.
 */
class DockerRuntimePullCredentialsTest {

    static final String IMAGE = "registry.example.com:5000/team/app:1.2";

    @TempDir
    Path dir;

    private final List<String> pullHeaders = new ArrayList<>();
    private final List<String> logged = new ArrayList<>();

    @Test
    void thePullCarriesTheCredentialsOfTheImagesRegistry() throws Exception {
        DockerRuntime runtime = runtimeWhosePullAnswers(
                200,
                "{\"status\":\"Downloaded\"}",
                Map.of("registry.example.com:5000", new RegistryLogin("maven-user", "maven-s3cret")));

        assertThatThrownBy(() ->
                        runtime.startContainer(ContainerSpec.builder(IMAGE).build()))
                .as("the second create fails in this script; the pull before it is what is tested");

        assertThat(pullHeaders).hasSize(1);
        assertThat(decoded(pullHeaders.get(0)))
                .isEqualTo(Map.of(
                        "username",
                        "maven-user",
                        "password",
                        "maven-s3cret",
                        "serveraddress",
                        "registry.example.com:5000"));
        assertThat(logged)
                .contains("INFO Credentials for " + IMAGE + ": settings.xml server `registry.example.com:5000`");
    }

    @Test
    void aRefusedPullNamesTheImageRegistryAndSourceButNotTheSecret() throws Exception {
        DockerRuntime runtime = runtimeWhosePullAnswers(
                500,
                "{\"message\":\"unauthorized: authentication required\"}",
                Map.of("registry.example.com:5000", new RegistryLogin("maven-user", "maven-s3cret")));

        assertThatThrownBy(() ->
                        runtime.startContainer(ContainerSpec.builder(IMAGE).build()))
                .isInstanceOf(CleanroomException.class)
                .hasMessage("Registry registry.example.com:5000 refused to let us pull image \"" + IMAGE + "\" with "
                        + "the credentials from settings.xml server `registry.example.com:5000` (unauthorized: "
                        + "authentication required). Perhaps you should check that they are current and may read "
                        + "this repository (docker login registry.example.com:5000 stores new ones), or correct the "
                        + "image name.")
                .hasStackTraceContaining("registry.example.com")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("maven-s3cret"));
        assertThat(String.join("\n", logged)).doesNotContain("maven-s3cret");
    }

    @Test
    void aRefusedAnonymousPullSaysNoCredentialsWereFoundAndWhereItLooked() throws Exception {
        DockerRuntime runtime = runtimeWhosePullAnswers(
                500,
                "{\"message\":\"Head \\\"http://registry.example.com:5000"
                        + "/v2/team/app/manifests/1.2\\\": no basic auth credentials\"}",
                Map.of());

        assertThatThrownBy(() ->
                        runtime.startContainer(ContainerSpec.builder(IMAGE).build()))
                .isInstanceOf(CleanroomException.class)
                .hasMessage("Registry registry.example.com:5000 refused an anonymous pull of image \"" + IMAGE
                        + "\" (Head \"http://registry.example.com:5000/v2/team/app/manifests/1.2\": no basic auth "
                        + "credentials): no credentials found for `registry.example.com:5000` (looked in "
                        + dir.resolve("docker-config/config.json") + " (absent), DOCKER_AUTH_CONFIG (not set) and "
                        + "settings.xml servers). Perhaps you should log in (docker login registry.example.com:5000), "
                        + "or add a <server> with the id registry.example.com:5000 to your settings.xml.");
    }

    @Test
    void aMissingHelperIsNamedInTheWarningAndInTheRefusal() throws Exception {
        Path config = Files.createDirectories(dir.resolve("docker-config"));
        Files.writeString(config.resolve("config.json"), "{\"credsStore\":\"desktop\"}");
        DockerRuntime runtime =
                runtimeWhosePullAnswers(500, "{\"message\":\"unauthorized: authentication required\"}", Map.of());

        assertThatThrownBy(() ->
                        runtime.startContainer(ContainerSpec.builder(IMAGE).build()))
                .isInstanceOf(CleanroomException.class)
                .hasMessageContaining("no credentials found for `registry.example.com:5000`; credential helper "
                        + "`desktop` (docker-credential-desktop) is not on the PATH (looked in ");
        assertThat(logged)
                .contains("WARN Registry credentials for " + IMAGE
                        + ": credential helper `desktop` (docker-credential-desktop) is not on the PATH");
    }

    private DockerRuntime runtimeWhosePullAnswers(int status, String body, Map<String, RegistryLogin> servers) {
        DockerRuntimeOutputTest.ScriptedTransport transport = new DockerRuntimeOutputTest.ScriptedTransport() {
            @Override
            public Exchange exchange(
                    String method, String path, Map<String, String> headers, byte[] request, Duration idleTimeout) {
                if (path.contains("/images/create")) {
                    pullHeaders.add(headers.getOrDefault("X-Registry-Auth", "(none)"));
                    return answer(status, body.getBytes(StandardCharsets.UTF_8));
                }
                return answer(404, "{\"message\":\"No such image\"}".getBytes(StandardCharsets.UTF_8));
            }
        };
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        env.put("PATH", dir.resolve("empty-bin").toString());
        RegistryAuthLocator locator = new RegistryAuthLocator(
                new DaemonDiscovery.Environment(env, Map.of(), dir.resolve("home"), dir, OptionalLong.empty()),
                servers,
                Duration.ofSeconds(5));
        return new DockerRuntime(new DockerApi(transport, "1.41"), "127.0.0.1", recordingLog())
                .withRegistryAuth(locator);
    }

    private EngineLog recordingLog() {
        return new EngineLog() {
            @Override
            public void info(String message) {
                logged.add("INFO " + message);
            }

            @Override
            public void warn(String message) {
                logged.add("WARN " + message);
            }

            @Override
            public void debug(String message) {
                logged.add("DEBUG " + message);
            }
        };
    }

    private static Map<String, Object> decoded(String header) {
        return Json.object(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
                .orElseThrow();
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
