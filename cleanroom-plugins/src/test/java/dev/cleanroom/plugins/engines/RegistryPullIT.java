package dev.cleanroom.plugins.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cleanroom.plugins.DockerCli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from a real registry (distribution with htpasswd, on loopback) by digest, and with
 * {@code pull = "always"} under a tag that moved. Each build is a JVM of its own whose only
 * credentials are DOCKER_AUTH_CONFIG (never this machine's ~/.docker).
 *
 * <p>Needs the registry of {@code scripts/registry-up.sh} (the users and passwords below are its
 * fixtures); {@code scripts/test.sh} runs this class with {@code -Dcleanroom.it.registry=127.0.0.1:PORT}.
 * Every local name this class pulls or tags is removed afterwards; the fixture images it tags
 * (busybox, alpine stand-in) keep their own names, so removing a name only untags them.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegistryPullIT {

    static final String PUSHER = "pusher";
    static final String PUSHER_PASSWORD = "pusher-pw-5bd1";
    static final String AUTH_CONFIG_USER = "authconfig-user";
    static final String AUTH_CONFIG_PASSWORD = "authconfig-pw-1f7e";
    static final String ALPINE = "cleanroom/alpine-standin:fixture";
    /** Every manifest type a push may have stored, so the registry answers with the stored one. */
    static final String MANIFESTS = String.join(
            ", ",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");

    @TempDir
    Path dir;

    private final String project = "it-registry-pull-" + UUID.randomUUID();
    private final List<String> localNames = new ArrayList<>();
    private String registry;
    private Path home;

    @BeforeEach
    void needsTheRegistry() throws Exception {
        registry = System.getProperty("cleanroom.it.registry", "");
        assumeTrue(
                !registry.isBlank(),
                "needs a registry with htpasswd users: run scripts/registry-up.sh, then "
                        + "-Dcleanroom.it.registry=127.0.0.1:PORT (scripts/test.sh does both)");
        home = Files.createDirectories(dir.resolve("home"));
    }

    @AfterEach
    void removeWhatWasPulledOrTaggedAndCheckNothingRemains() {
        if (registry == null || registry.isBlank()) {
            return;
        }
        localNames.forEach(RegistryPullIT::removeLocalName);
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    @Test
    void aServiceWhoseImageIsPinnedByDigestIsPulledByThatDigestAndItsReadyLineNamesIt() throws Exception {
        String digest = manifestDigest("private/busybox", "1");
        String image = registry + "/private/busybox@" + digest;
        remember(image);
        removeLocalName(image); // so the build really pulls

        ChildBuild.Outcome outcome = build(image, "missing");

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains(
                        "INFO Pulling " + image + ": Digest: " + digest,
                        "INFO Service app (generic_container, " + image + ", " + digest + ") ready in",
                        "STEP runs_the_private_image PASSED");
        assertThat(outcome.output()).doesNotContain(AUTH_CONFIG_PASSWORD);
    }

    @Test
    void pullAlwaysUnderATagThatMovedLogsTheDigestItHadAndTheOneItGot() throws Exception {
        String image =
                registry + "/private/moving-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        String repository = image.substring(0, image.lastIndexOf(':'));
        String before = push(ALPINE, image);
        String after = push(DockerCli.BUSYBOX, image);
        assertThat(after).as("the second push moved the tag").isNotEqualTo(before);
        remember(repository + "@" + before);
        remember(repository + "@" + after);
        DockerCli.run("tag", ALPINE, image); // the daemon's copy of the tag is the one it had before the move

        ChildBuild.Outcome outcome = build(image, "always");

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains(
                        "INFO Pulling image " + image + " (pull = \"always\")",
                        "INFO Pulled image " + image + ": digest changed " + before + " → " + after,
                        "INFO Service app (generic_container, " + image + ", " + after + ") ready in");
    }

    private ChildBuild.Outcome build(String image, String pull) throws Exception {
        Path file = dir.resolve("private.clnrm.toml");
        Files.writeString(file, """
                [services.app]
                type = "generic_container"
                image = "IMAGE"
                pull = "PULL"
                command = ["sleep", "30"]
                stop_timeout = "1s"

                [[steps]]
                name = "runs_the_private_image"
                service = "app"
                command = ["echo", "pulled"]
                expected_output_regex = "^pulled$"
                """.replace("IMAGE", image).replace("PULL", pull));
        Path dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        Files.writeString(dockerConfig.resolve("config.json"), "{}");
        String authConfig = "{\"auths\":{\"" + registry + "\":{\"auth\":\""
                + base64(AUTH_CONFIG_USER + ":" + AUTH_CONFIG_PASSWORD) + "\"}}}";
        return ChildBuild.run(
                file,
                project,
                dir,
                home,
                Map.of("DOCKER_CONFIG", dockerConfig.toString(), "DOCKER_AUTH_CONFIG", authConfig));
    }

    /** Pushes {@code fixture} as {@code image} with the pusher's login (a DOCKER_CONFIG of the test's); its digest. */
    private String push(String fixture, String image) throws Exception {
        Path login = Files.createDirectories(dir.resolve("pusher-config"));
        Files.writeString(
                login.resolve("config.json"),
                "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + base64(PUSHER + ":" + PUSHER_PASSWORD) + "\"}}}");
        remember(image);
        DockerCli.run("tag", fixture, image);
        pushWith(login, image);
        String repository = image.substring(image.indexOf('/') + 1, image.lastIndexOf(':'));
        return manifestDigest(repository, image.substring(image.lastIndexOf(':') + 1));
    }

    private static void pushWith(Path dockerConfig, String image) throws Exception {
        Process push = new ProcessBuilder("docker", "--config", dockerConfig.toString(), "push", image)
                .redirectErrorStream(true)
                .start();
        String output = new String(push.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(push.waitFor()).as("docker push " + image + ": " + output).isZero();
    }

    /** The digest the registry gives the manifest of {@code repository:reference}, asked with the pusher's login. */
    private String manifestDigest(String repository, String reference) throws Exception {
        HttpRequest head = HttpRequest.newBuilder(
                        URI.create("http://" + registry + "/v2/" + repository + "/manifests/" + reference))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", MANIFESTS)
                .header("Authorization", "Basic " + base64(PUSHER + ":" + PUSHER_PASSWORD))
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<Void> answer = HttpClient.newHttpClient().send(head, HttpResponse.BodyHandlers.discarding());
        assertThat(answer.statusCode()).as("HEAD " + head.uri()).isEqualTo(200);
        return answer.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private void remember(String localName) {
        localNames.add(localName);
    }

    /** Untags {@code localName} (a tag or a digest reference) if the daemon has it. */
    private static void removeLocalName(String localName) {
        try {
            DockerCli.run("image", "inspect", localName);
        } catch (IllegalStateException absent) {
            return;
        }
        DockerCli.run("rmi", localName);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
