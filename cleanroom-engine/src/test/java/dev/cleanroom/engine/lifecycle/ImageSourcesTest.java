package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.PullPolicy;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a run's images come from: pull = "always", the build's policy, a registry mirror; and their digests. */
class ImageSourcesTest {

    private static final String OLD = "sha256:" + "0".repeat(64);
    private static final String NEW = "sha256:" + "1".repeat(64);

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final RecordingLog log = new RecordingLog();

    private CleanroomEngine.Builder engine() {
        return TestEngines.builder(new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
                .log(log);
    }

    private LoadedFile file(CleanroomEngine engine, String toml) throws Exception {
        Path path = dir.resolve("env.clnrm.toml");
        Files.writeString(path, toml, StandardCharsets.UTF_8);
        return engine.load(path);
    }

    private static String service(String name, String image, String extra) {
        return "[services." + name + "]\ntype = \"scripted\"\nimage = \"" + image + "\"\n" + extra;
    }

    @Test
    void alwaysPullsEachImageOnceAndLogsTheDigestThatChanged() throws Exception {
        runtime.imageDigest("api:2", OLD)
                .inRegistry("api:2", NEW)
                .imageDigest("db:1", OLD)
                .inRegistry("db:1", OLD);
        CleanroomEngine engine = engine().build();
        LoadedFile file = file(
                engine,
                service("api", "api:2", "pull = \"always\"\n")
                        + service("api2", "api:2", "pull = \"always\"\n")
                        + service("db", "db:1", "pull = \"always\"\n"));

        try (Environment environment = engine.start(file)) {
            assertThat(runtime.pulls()).containsExactlyInAnyOrder("api:2", "db:1");
            assertThat(log.lines())
                    .contains(
                            "INFO Pulled image api:2: digest changed " + OLD + " → " + NEW,
                            "INFO Pulled image db:1: digest unchanged (" + OLD + ")",
                            "INFO Pulling api:2: Digest: " + NEW);
        }
    }

    @Test
    void missingPullsOnlyWhatTheDaemonLacks() throws Exception {
        runtime.imageMissing("api:2").inRegistry("api:2", NEW);
        CleanroomEngine engine = engine().build();

        try (Environment environment =
                engine.start(file(engine, service("api", "api:2", "") + service("db", "db:1", "")))) {
            assertThat(runtime.pulls()).containsExactly("api:2");
        }
    }

    @Test
    void theBuildsPolicyWinsOverTheFiles() throws Exception {
        runtime.imageMissing("api:2").inRegistry("api:2", NEW);
        CleanroomEngine engine = engine().pull(PullPolicy.NEVER).build();
        LoadedFile file = file(engine, service("api", "api:2", "pull = \"always\"\n"));

        assertThatThrownBy(() -> engine.start(file))
                .isInstanceOf(CleanroomException.class)
                .hasMessage(
                        "The Docker daemon does not have image api:2 (service api), and cleanroom.pull = \"never\" (the build's "
                                + "setting) forbids pulling it; no container was started. Perhaps you should pull it first "
                                + "(mvn cleanroom:pull, or docker pull api:2), or drop -Dcleanroom.pull=never.");
        assertThat(runtime.pulls()).isEmpty();
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void aMirrorServesDockerHubImagesTheDaemonLacksAndTheLogShowsTheRewrittenName() throws Exception {
        runtime.imageMissing("api:2")
                .imageMissing("mirror.corp/hub/api:2")
                .inRegistry("mirror.corp/hub/api:2", NEW)
                .imageMissing("ghcr.io/acme/worker:3")
                .inRegistry("ghcr.io/acme/worker:3", NEW);
        CleanroomEngine engine = engine().registryMirror("mirror.corp/hub/").build();
        LoadedFile file = file(
                engine,
                service("api", "api:2", "")
                        + service("db", "db:1", "")
                        + service("worker", "ghcr.io/acme/worker:3", ""));

        List<String> images = new ArrayList<>();
        try (Environment environment = engine.start(file)) {
            runtime.runningSpecs().stream().map(ContainerSpec::image).forEach(images::add);
            assertThat(environment.services())
                    .extracting(StartedService::image)
                    .containsExactly("mirror.corp/hub/api:2", "db:1", "ghcr.io/acme/worker:3");
        }
        assertThat(images).containsExactlyInAnyOrder("mirror.corp/hub/api:2", "db:1", "ghcr.io/acme/worker:3");
        assertThat(runtime.pulls()).containsExactlyInAnyOrder("mirror.corp/hub/api:2", "ghcr.io/acme/worker:3");
        assertThat(log.lines()).contains("INFO Image api:2 comes from the registry mirror as mirror.corp/hub/api:2");
    }

    @Test
    void withNeverAMirroredImageMustBePresentUnderTheMirrorsName() throws Exception {
        runtime.imageMissing("api:2").imageMissing("mirror.corp/hub/api:2");
        CleanroomEngine engine = engine().registryMirror("mirror.corp/hub").build();
        LoadedFile file = file(engine, service("api", "api:2", "pull = \"never\"\n"));

        assertThatThrownBy(() -> engine.start(file))
                .hasMessageStartingWith(
                        "The Docker daemon does not have image mirror.corp/hub/api:2 (service api), and pull = \"never\"");
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void eachServiceGivesItsImageDigestInTheReadyLineAndItsStartedService() throws Exception {
        runtime.imageDigest("api:2", NEW);
        CleanroomEngine engine = engine().build();

        try (Environment environment =
                engine.start(file(engine, service("api", "api:2", "") + service("db", "db:1", "")))) {
            assertThat(environment.services())
                    .extracting(StartedService::imageDigest)
                    .containsExactly(NEW, "sha256:id-of-db:1");
        }
        assertThat(log.lines())
                .anyMatch(l -> l.startsWith("INFO Service api (scripted, api:2, " + NEW + ") ready in "))
                .anyMatch(l -> l.startsWith("INFO Service db (scripted, db:1, sha256:id-of-db:1) ready in "));
    }
}
