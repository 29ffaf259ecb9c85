package dev.cleanroom.plugins.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cleanroom.plugins.DockerCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls a private image from a real registry (distribution with htpasswd, on loopback) through
 * each docker-config source: a credential helper named by credsStore, the same helper named in
 * credHelpers, and DOCKER_AUTH_CONFIG. Each build is a JVM of its own (its DOCKER_CONFIG, PATH and
 * DOCKER_AUTH_CONFIG are the test's, never this machine's ~/.docker). Each source has its own
 * registry user, and the helper records the servers it was asked for, so a test can tell which
 * source supplied the credentials. A wrong password fails naming the registry and the source,
 * and no password reaches the build's output.
 *
 * <p>Needs the registry of {@code scripts/registry-up.sh} (the users and passwords below are its
 * fixtures); {@code scripts/test.sh} runs this class with {@code -Dcleanroom.it.registry=127.0.0.1:PORT}.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegistryCredentialsIT {

    static final String HELPER_USER = "helper-user";
    static final String HELPER_PASSWORD = "helper-pw-93c2";
    static final String AUTH_CONFIG_USER = "authconfig-user";
    static final String AUTH_CONFIG_PASSWORD = "authconfig-pw-1f7e";
    static final String WRONG_PASSWORD = "wrong-pw-e8d5";
    static final String HELPER = "cleanroom-test";

    @TempDir
    Path dir;

    private final String project = "it-registry-" + UUID.randomUUID();
    private String registry;
    private String image;
    private Path home;
    private Path bin;
    private Path record;

    @BeforeEach
    void needsTheRegistry() throws Exception {
        registry = System.getProperty("cleanroom.it.registry", "");
        assumeTrue(
                !registry.isBlank(),
                "needs a registry with htpasswd users: run scripts/registry-up.sh, then "
                        + "-Dcleanroom.it.registry=127.0.0.1:PORT (scripts/test.sh does both)");
        image = registry + "/private/busybox:1";
        home = Files.createDirectories(dir.resolve("home"));
        bin = Files.createDirectories(dir.resolve("bin"));
        record = dir.resolve("helper-asked.txt");
        Path helper = bin.resolve("docker-credential-" + HELPER);
        Files.copy(
                Path.of("").toAbsolutePath().getParent().resolve("scripts/testing/docker-credential-cleanroom-test"),
                helper);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        removeLocalImage(); // so the build really pulls
    }

    @AfterEach
    void removeWhatWasPulledAndCheckNothingRemains() {
        if (registry == null || registry.isBlank()) {
            return;
        }
        removeLocalImage();
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    @Test
    void aCredentialHelperNamedByCredsStoreSuppliesTheCredentials() throws Exception {
        Path config = dockerConfig("{\"credsStore\":\"" + HELPER + "\"}");

        ChildBuild.Outcome outcome = build(config, helperKnowing(HELPER_PASSWORD), null);

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains("INFO Credentials for " + image + ": credential " + "helper `" + HELPER + "` (credsStore in "
                        + config.resolve("config.json") + ")");
        assertThat(Files.readAllLines(record)).containsExactly(registry);
        assertThat(outcome.output()).doesNotContain(HELPER_PASSWORD);
    }

    @Test
    void aCredentialHelperNamedInCredHelpersForTheRegistrySuppliesTheCredentials() throws Exception {
        Path config = dockerConfig("{\"credHelpers\":{\"" + registry + "\":\"" + HELPER + "\"}}");

        ChildBuild.Outcome outcome = build(config, helperKnowing(HELPER_PASSWORD), null);

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output())
                .contains("INFO Credentials for " + image + ": credential " + "helper `" + HELPER + "` (credHelpers in "
                        + config.resolve("config.json") + ")");
        assertThat(Files.readAllLines(record)).containsExactly(registry);
    }

    @Test
    void dockerAuthConfigSuppliesTheCredentialsWhenTheDockerConfigHasNone() throws Exception {
        Path config = dockerConfig("{}");
        String authConfig = "{\"auths\":{\"" + registry + "\":{\"auth\":\""
                + base64(AUTH_CONFIG_USER + ":" + AUTH_CONFIG_PASSWORD) + "\"}}}";

        ChildBuild.Outcome outcome = build(config, Map.of(), authConfig);

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("INFO Credentials for " + image + ": auths in DOCKER_AUTH_CONFIG");
        assertThat(record).as("no helper was asked").doesNotExist();
        assertThat(outcome.output()).doesNotContain(AUTH_CONFIG_PASSWORD);
    }

    @Test
    void aWrongPasswordFailsNamingTheRegistryAndTheSourceAndNoPasswordIsPrinted() throws Exception {
        Path config = dockerConfig("{\"credsStore\":\"" + HELPER + "\"}");

        ChildBuild.Outcome outcome = build(config, helperKnowing(WRONG_PASSWORD), null);

        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(2);
        assertThat(outcome.output())
                .contains("ERROR Service app (generic_container, " + image + ") could not start: Registry " + registry
                        + " refused to let us pull image \"" + image
                        + "\" with the credentials from credential helper `" + HELPER + "` (credsStore in "
                        + config.resolve("config.json")
                        + ") (unauthorized: authentication required). Perhaps you should "
                        + "check that they are current and may read this repository (docker login " + registry
                        + " stores new ones), or correct the image name.");
        assertThat(outcome.output()).doesNotContain(WRONG_PASSWORD).doesNotContain(HELPER_PASSWORD);
        assertThat(DockerCli.run("images", "-q", image).trim())
                .as("nothing was pulled")
                .isEmpty();
    }

    @Test
    void withoutCredentialsTheRefusalSaysNoneWereFoundAndWhereItLooked() throws Exception {
        Path config = dockerConfig("{}");

        ChildBuild.Outcome outcome = build(config, Map.of(), null);

        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(2);
        assertThat(outcome.output())
                .contains(
                        "ERROR Service app (generic_container, " + image + ") could not start: Registry " + registry
                                + " refused an anonymous pull of image \""
                                + image + "\" (",
                        "): no credentials found for `" + registry + "` (looked in "
                                + config.resolve("config.json")
                                + ", DOCKER_AUTH_CONFIG (not set) and settings.xml servers). "
                                + "Perhaps you should log in (docker login " + registry
                                + "), or add a <server> with the id "
                                + registry + " to your settings.xml.");
    }

    private ChildBuild.Outcome build(Path dockerConfig, Map<String, String> helperEnv, String authConfig)
            throws Exception {
        Path file = dir.resolve("private.clnrm.toml");
        Files.writeString(file, """
                [services.app]
                type = "generic_container"
                image = "IMAGE"
                command = ["sleep", "30"]
                stop_timeout = "1s"

                [[steps]]
                name = "runs_the_private_image"
                service = "app"
                command = ["echo", "pulled"]
                expected_output_regex = "^pulled$"
                """.replace("IMAGE", image));
        Map<String, String> env = new HashMap<>(helperEnv);
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("DOCKER_AUTH_CONFIG", authConfig); // null: unset, whatever this JVM has
        return ChildBuild.run(file, project, dir, home, env);
    }

    private Map<String, String> helperKnowing(String password) {
        return Map.of(
                "CLEANROOM_TEST_HELPER_SERVER",
                registry,
                "CLEANROOM_TEST_HELPER_USER",
                HELPER_USER,
                "CLEANROOM_TEST_HELPER_SECRET",
                password,
                "CLEANROOM_TEST_HELPER_RECORD",
                record.toString());
    }

    private Path dockerConfig(String json) throws Exception {
        Path config = Files.createDirectories(dir.resolve("docker-config"));
        Files.writeString(config.resolve("config.json"), json);
        return config;
    }

    private void removeLocalImage() {
        if (!DockerCli.run("images", "-q", image).isBlank()) {
            DockerCli.run("rmi", image);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
