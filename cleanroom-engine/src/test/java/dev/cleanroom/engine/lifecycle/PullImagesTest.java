package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.PullPolicy;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CleanroomEngine.pullImages, behind cleanroom:pull: every image of the files, once, in parallel, as the policy says. */
class PullImagesTest {

    private static final String DIGEST = "sha256:" + "2".repeat(64);

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final RecordingLog log = new RecordingLog();

    private CleanroomEngine.Builder engine() {
        return TestEngines.builder(new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
                .log(log);
    }

    private LoadedFile file(CleanroomEngine engine, String name, String toml) throws Exception {
        Path path = dir.resolve(name);
        Files.writeString(path, toml, StandardCharsets.UTF_8);
        return engine.load(path);
    }

    private static String service(String name, String image, String extra) {
        return "[services." + name + "]\ntype = \"scripted\"\nimage = \"" + image + "\"\n" + extra;
    }

    @Test
    void pullsWhatTheDaemonLacksOnceAndSaysWhichArePresentWithoutStartingAnything() throws Exception {
        runtime.imageMissing("api:2").inRegistry("api:2", DIGEST);
        CleanroomEngine engine = engine().build();
        List<LoadedFile> files = List.of(
                file(engine, "a.clnrm.toml", service("api", "api:2", "") + service("db", "db:1", "")),
                file(engine, "b.clnrm.toml", service("api", "api:2", "") + service("cache", "cache:7", "")));

        engine.pullImages(files);

        assertThat(runtime.pulls()).containsExactly("api:2");
        assertThat(log.lines())
                .contains(
                        "INFO Image db:1 is present (sha256:id-of-db:1); not pulling it (pull = \"missing\")",
                        "INFO Image cache:7 is present (sha256:id-of-cache:7); not pulling it (pull = \"missing\")",
                        "INFO Pulling image api:2",
                        "INFO Pulling api:2: layer1: Pull complete",
                        "INFO Pulled image api:2: digest " + DIGEST + " (new on this daemon)",
                        "INFO 3 image(s) of 2 file(s): 1 pulled, 2 present");
        assertThat(runtime.events()).noneMatch(e -> e.startsWith("start") || e.startsWith("network"));
    }

    @Test
    void alwaysPullsPresentImagesToo() throws Exception {
        runtime.inRegistry("db:1", DIGEST).inRegistry("api:2", DIGEST);
        CleanroomEngine engine = engine().pull(PullPolicy.ALWAYS).build();

        engine.pullImages(
                List.of(file(engine, "a.clnrm.toml", service("api", "api:2", "") + service("db", "db:1", ""))));

        assertThat(runtime.pulls()).containsExactlyInAnyOrder("api:2", "db:1");
    }

    @Test
    void failsListingEveryImageThatCouldNotBePulledAfterPullingTheRest() throws Exception {
        runtime.imageMissing("gone:1")
                .imageMissing("typo:2")
                .imageMissing("api:2")
                .inRegistry("api:2", DIGEST)
                .imageMissing("offline:3");
        CleanroomEngine engine = engine().build();
        LoadedFile file = file(
                engine,
                "a.clnrm.toml",
                service("gone", "gone:1", "")
                        + service("typo", "typo:2", "")
                        + service("api", "api:2", "")
                        + service("offline", "offline:3", "pull = \"never\"\n"));

        assertThatThrownBy(() -> engine.pullImages(List.of(file)))
                .isInstanceOf(CleanroomException.class)
                .hasMessage("Could not pull 3 of 4 image(s):\n"
                        + "  gone:1 (service gone of a.clnrm.toml): Image \"gone:1\" is not present locally and could "
                        + "not be pulled (pull access denied for gone:1)\n"
                        + "  typo:2 (service typo of a.clnrm.toml): Image \"typo:2\" is not present locally and could "
                        + "not be pulled (pull access denied for typo:2)\n"
                        + "  offline:3 (service offline of a.clnrm.toml): the Docker daemon does not have it, and "
                        + "pull = \"never\" forbids pulling it\n"
                        + "Perhaps you should check the names and tags, and that this machine reaches their registries "
                        + "(docker pull IMAGE shows the registry's answer).");
        assertThat(runtime.pulls()).containsExactly("api:2");
    }

    @Test
    void aMirrorServesTheDockerHubImagesTheDaemonLacks() throws Exception {
        runtime.imageMissing("api:2").imageMissing("mirror.corp/hub/api:2").inRegistry("mirror.corp/hub/api:2", DIGEST);
        CleanroomEngine engine = engine().registryMirror("mirror.corp/hub").build();

        engine.pullImages(
                List.of(file(engine, "a.clnrm.toml", service("api", "api:2", "") + service("db", "db:1", ""))));

        assertThat(runtime.pulls()).containsExactly("mirror.corp/hub/api:2");
        assertThat(log.lines()).contains("INFO Image api:2 comes from the registry mirror as mirror.corp/hub/api:2");
    }
}
