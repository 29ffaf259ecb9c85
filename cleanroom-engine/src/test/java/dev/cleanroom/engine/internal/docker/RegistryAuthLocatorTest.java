package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.RegistryLogin;
import dev.cleanroom.engine.spi.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a pull's credentials come from, in order: credHelpers, credsStore, auths (of
 * $DOCKER_CONFIG/config.json, then of DOCKER_AUTH_CONFIG), then settings.xml servers. Each test
 * has its own home, config directory and PATH; the credential helper is a test script that
 * records the servers it was asked for.
 */
class RegistryAuthLocatorTest {

    static final String HUB = "https://index.docker.io/v1/";
    static final String PRIVATE = "registry.example.com:5000";
    static final String IMAGE = PRIVATE + "/team/app:1.2";

    @TempDir
    Path dir;

    private Path config;
    private Path helpers;
    private Path record;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, RegistryLogin> servers = new HashMap<>();

    @BeforeEach
    void emptyConfigAndPath() throws Exception {
        config = Files.createDirectories(dir.resolve("docker-config"));
        helpers = Files.createDirectories(dir.resolve("bin"));
        record = dir.resolve("helper-record.txt");
        env.put("DOCKER_CONFIG", config.toString());
        env.put("PATH", helpers + ":/usr/bin:/bin");
        env.put("CLEANROOM_TEST_HELPER_RECORD", record.toString());
    }

    @Test
    void credsStoreHelperIsAskedForTheRegistryHostAndSuppliesTheCredentials() throws Exception {
        installHelper("store");
        helperKnows(PRIVATE, "store-user", "store-secret");
        writeConfig("{\"credsStore\":\"store\"}");

        RegistryAuthLocator.Lookup lookup = lookup(IMAGE);

        assertThat(lookup.registry()).isEqualTo(PRIVATE);
        assertThat(lookup.source()).isEqualTo("credential helper `store` (credsStore in " + configFile() + ")");
        assertThat(header(lookup))
                .isEqualTo(Map.of("username", "store-user", "password", "store-secret", "serveraddress", PRIVATE));
        assertThat(asked()).containsExactly(PRIVATE);
    }

    @Test
    void credHelpersForTheHostComeBeforeCredsStore() throws Exception {
        installHelper("store");
        installHelper("per-host");
        helperKnows(PRIVATE, "host-user", "host-secret");
        writeConfig("{\"credsStore\":\"store\",\"credHelpers\":{\"" + PRIVATE + "\":\"per-host\"}}");

        RegistryAuthLocator.Lookup lookup = lookup(IMAGE);

        assertThat(lookup.source()).isEqualTo("credential helper `per-host` (credHelpers in " + configFile() + ")");
        assertThat(header(lookup)).containsEntry("username", "host-user");
        assertThat(asked())
                .as("credsStore is not asked once credHelpers answered")
                .containsExactly(PRIVATE);
    }

    @Test
    void aHelperWithoutCredentialsForTheHostFallsThroughToAuths() throws Exception {
        installHelper("store");
        helperKnows("other.example.com", "x", "y");
        writeConfig("{\"credsStore\":\"store\",\"auths\":{\"" + PRIVATE + "\":{\"auth\":\""
                + base64("auths-user:auths-secret") + "\"}}}");

        RegistryAuthLocator.Lookup lookup = lookup(IMAGE);

        assertThat(lookup.source()).isEqualTo("auths in " + configFile());
        assertThat(header(lookup))
                .isEqualTo(Map.of("username", "auths-user", "password", "auths-secret", "serveraddress", PRIVATE));
        assertThat(asked()).containsExactly(PRIVATE);
    }

    @Test
    void anIdentityTokenInAuthsIsSentAsTheIdentityTokenWithoutAPassword() throws Exception {
        writeConfig("{\"auths\":{\"https://" + PRIVATE + "/v1/\":{\"auth\":\"" + base64("<token>:") + "\","
                + "\"identitytoken\":\"refresh-token-123\"}}}");

        assertThat(header(lookup(IMAGE)))
                .isEqualTo(Map.of("identitytoken", "refresh-token-123", "serveraddress", PRIVATE));
    }

    @Test
    void dockerHubAliasesResolveToTheEntryTheCliStoresUnderIndexDockerIoV1() throws Exception {
        installHelper("hub-helper");
        helperKnows(HUB, "hub-user", "hub-secret");
        writeConfig("{\"credHelpers\":{\"docker.io\":\"hub-helper\"}}");

        for (String image : List.of(
                "busybox",
                "library/busybox:1.36",
                "docker.io/library/busybox",
                "index.docker.io/org/app:2",
                "registry-1.docker.io/org/app")) {
            RegistryAuthLocator.Lookup lookup = lookup(image);
            assertThat(lookup.registry()).as(image).isEqualTo("docker.io");
            assertThat(header(lookup)).as(image).containsEntry("username", "hub-user");
        }
        assertThat(asked()).containsOnly(HUB);
    }

    @Test
    void hubCredentialsAreNotSentToAnotherRegistry() throws Exception {
        writeConfig("{\"auths\":{\"" + HUB + "\":{\"auth\":\"" + base64("hub-user:hub-secret") + "\"}}}");

        RegistryAuthLocator.Lookup lookup = lookup("localhost:5000/team/app");

        assertThat(lookup.registry()).isEqualTo("localhost:5000");
        assertThat(lookup.credentials()).isEmpty();
        assertThat(lookup.source()).isEqualTo("no credentials found for `localhost:5000`");
        assertThat(lookup.header()).isEmpty();
    }

    @Test
    void dockerAuthConfigIsReadWhenConfigJsonHasNothingForTheHost() throws Exception {
        writeConfig("{\"auths\":{\"other.example.com\":{\"auth\":\"" + base64("a:b") + "\"}}}");
        env.put(
                "DOCKER_AUTH_CONFIG",
                "{\"auths\":{\"" + PRIVATE + "\":{\"auth\":\"" + base64("ci-user:ci-secret") + "\"}}}");

        RegistryAuthLocator.Lookup lookup = lookup(IMAGE);

        assertThat(lookup.source()).isEqualTo("auths in DOCKER_AUTH_CONFIG");
        assertThat(header(lookup)).containsEntry("username", "ci-user").containsEntry("password", "ci-secret");
    }

    @Test
    void configJsonComesBeforeDockerAuthConfig() throws Exception {
        writeConfig("{\"auths\":{\"" + PRIVATE + "\":{\"auth\":\"" + base64("file-user:file-secret") + "\"}}}");
        env.put(
                "DOCKER_AUTH_CONFIG",
                "{\"auths\":{\"" + PRIVATE + "\":{\"auth\":\"" + base64("ci-user:ci-secret") + "\"}}}");

        assertThat(lookup(IMAGE).source()).isEqualTo("auths in " + configFile());
    }

    @Test
    void settingsXmlServerWhoseIdIsTheHostComesLast() throws Exception {
        servers.put(PRIVATE, new RegistryLogin("maven-user", "maven-secret"));
        servers.put("docker.io", new RegistryLogin("maven-hub-user", "maven-hub-secret"));

        RegistryAuthLocator.Lookup lookup = lookup(IMAGE);

        assertThat(lookup.source()).isEqualTo("settings.xml server `" + PRIVATE + "`");
        assertThat(header(lookup))
                .isEqualTo(Map.of("username", "maven-user", "password", "maven-secret", "serveraddress", PRIVATE));
        assertThat(lookup("busybox").source()).isEqualTo("settings.xml server `docker.io`");
    }

    @Test
    void dockerAuthConfigComesBeforeSettingsXml() throws Exception {
        servers.put(PRIVATE, new RegistryLogin("maven-user", "maven-secret"));
        env.put(
                "DOCKER_AUTH_CONFIG",
                "{\"auths\":{\"" + PRIVATE + "\":{\"auth\":\"" + base64("ci-user:ci-secret") + "\"}}}");

        assertThat(lookup(IMAGE).source()).isEqualTo("auths in DOCKER_AUTH_CONFIG");
    }

    @Test
    void aMissingHelperIsNamedAndTheNextSourceIsTried() throws Exception {
        writeConfig("{\"credsStore\":\"desktop\"}");
        servers.put(PRIVATE, new RegistryLogin("maven-user", "maven-secret"));

        RegistryAuthLocator.Lookup lookup = lookup(IMAGE);

        assertThat(lookup.problems())
                .containsExactly("credential helper `desktop` (docker-credential-desktop) is not on the PATH");
        assertThat(lookup.source()).isEqualTo("settings.xml server `" + PRIVATE + "`");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHelperThatDoesNotAnswerIsStoppedAfterTheTimeout() throws Exception {
        installHelper("slow");
        helperKnows(PRIVATE, "u", "s");
        env.put("CLEANROOM_TEST_HELPER_SLEEP", "600");
        writeConfig("{\"credsStore\":\"slow\"}");

        RegistryAuthLocator.Lookup lookup =
                new RegistryAuthLocator(environment(), servers, Duration.ofSeconds(1)).lookup(IMAGE);

        assertThat(lookup.credentials()).isEmpty();
        assertThat(lookup.problems())
                .containsExactly(
                        "credential helper `slow` (docker-credential-slow) did not answer within 1 s and was stopped");
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().commandLine().orElse("").contains("sleep 600")))
                .as("the helper and its children are stopped")
                .isEmpty();
    }

    @Test
    void aHelperThatFailsIsNamedWithWhatItSaid() throws Exception {
        Path failing = helpers.resolve("docker-credential-broken");
        Files.writeString(failing, "#!/bin/sh\necho 'keychain is locked'\nexit 3\n");
        makeExecutable(failing);
        writeConfig("{\"credsStore\":\"broken\"}");

        assertThat(lookup(IMAGE).problems())
                .containsExactly(
                        "credential helper `broken` (docker-credential-broken) failed with exit code 3: keychain is locked");
    }

    @Test
    void aConfigThatIsNotJsonIsAProblemNamingTheFileNotItsContent() throws Exception {
        writeConfig("{\"auths\": secret-looking-garbage");
        env.put("DOCKER_AUTH_CONFIG", "not json either: hunter2");

        RegistryAuthLocator.Lookup lookup = lookup(IMAGE);

        assertThat(lookup.problems())
                .containsExactly(configFile() + " is not valid JSON", "DOCKER_AUTH_CONFIG is not valid JSON");
        assertThat(String.join(" ", lookup.problems()))
                .doesNotContain("hunter2")
                .doesNotContain("garbage");
    }

    @Test
    void neitherTheLookupNorTheCredentialsPrintTheirSecrets() throws Exception {
        writeConfig("{\"auths\":{\"" + PRIVATE + "\":{\"auth\":\"" + base64("auths-user:auths-secret") + "\"}}}");
        servers.put("other", new RegistryLogin("maven-user", "maven-secret"));

        RegistryAuthLocator.Lookup lookup = lookup(IMAGE);

        assertThat(lookup.toString() + lookup.credentials().orElseThrow() + servers)
                .doesNotContain("auths-secret")
                .doesNotContain("maven-secret")
                .doesNotContain(base64("auths-user:auths-secret"));
    }

    private RegistryAuthLocator.Lookup lookup(String image) {
        return new RegistryAuthLocator(environment(), servers, Duration.ofSeconds(10)).lookup(image);
    }

    private DaemonDiscovery.Environment environment() {
        return new DaemonDiscovery.Environment(env, Map.of(), dir.resolve("home"), dir, OptionalLong.empty());
    }

    private Path configFile() {
        return config.resolve("config.json");
    }

    private void writeConfig(String json) throws Exception {
        Files.writeString(configFile(), json);
    }

    private void installHelper(String name) throws Exception {
        Path script =
                Path.of("").toAbsolutePath().getParent().resolve("scripts/testing/docker-credential-cleanroom-test");
        Path helper = helpers.resolve("docker-credential-" + name);
        Files.copy(script, helper);
        makeExecutable(helper);
    }

    private static void makeExecutable(Path file) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void helperKnows(String server, String user, String secret) {
        env.put("CLEANROOM_TEST_HELPER_SERVER", server);
        env.put("CLEANROOM_TEST_HELPER_USER", user);
        env.put("CLEANROOM_TEST_HELPER_SECRET", secret);
    }

    private List<String> asked() throws Exception {
        return Files.exists(record) ? Files.readAllLines(record) : List.of();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The X-Registry-Auth header decoded: base64url of a JSON object. */
    static Map<String, Object> header(RegistryAuthLocator.Lookup lookup) {
        String value = lookup.header().get("X-Registry-Auth");
        assertThat(value).as("X-Registry-Auth header").isNotNull();
        return Json.object(new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8))
                .orElseThrow();
    }
}
