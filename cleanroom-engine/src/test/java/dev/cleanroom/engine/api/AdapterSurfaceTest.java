package dev.cleanroom.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.StepResult.Status;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an adapter reaches through the api alone: plugins in code, loaded files, reports, durations. */
class AdapterSurfaceTest {

    @TempDir
    Path dir;

    @Test
    void pluginsGivesTheEngineExactlyThoseServiceTypes() {
        // Act
        List<PluginInfo> plugins =
                CleanroomEngine.builder().plugins(new ScriptedPlugin()).build().plugins();

        // Assert
        assertThat(plugins).extracting(PluginInfo::type).containsExactly(new ScriptedPlugin().type());
    }

    @Test
    void aLoadedFileTheEngineDidNotMakeIsRefusedBeforeAnythingConnects() {
        // Arrange
        FakeRuntime runtime = new FakeRuntime();
        CleanroomEngine engine = CleanroomEngine.builder()
                .plugins(new ScriptedPlugin())
                .runtime(runtime.factory())
                .build();
        LoadedFile madeUp = new LoadedFile() {
            @Override
            public Path path() {
                return Path.of("made-up.clnrm.toml");
            }

            @Override
            public String name() {
                return "made up";
            }

            @Override
            public String description() {
                return "";
            }

            @Override
            public boolean shared() {
                return false;
            }

            @Override
            public List<String> serviceNames() {
                return List.of();
            }
        };

        // Act + Assert
        assertThatThrownBy(() -> engine.start(madeUp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("made-up.clnrm.toml")
                .hasMessageContaining("CleanroomEngine.load");
    }

    @Test
    void aLoadedFileShowsItsPathNameAndServices() throws Exception {
        // Arrange
        Path path = dir.resolve("web.clnrm.toml");
        Files.writeString(path, """
                [meta]
                name = "web"
                description = "the web tier"

                [services.db]
                type = "scripted"
                image = "db:1"

                [services.api]
                type = "scripted"
                image = "api:2"
                """);

        // Act
        LoadedFile file =
                CleanroomEngine.builder().plugins(new ScriptedPlugin()).build().load(path);

        // Assert
        assertThat(file.path()).isEqualTo(path);
        assertThat(file.name()).isEqualTo("web");
        assertThat(file.description()).isEqualTo("the web tier");
        assertThat(file.serviceNames()).containsExactly("db", "api");
    }

    @Test
    void reportsWritesTheJUnitXmlOfEachRunAndOneSummary() throws Exception {
        // Arrange
        StepResult passed = new StepResult(
                "says_hello",
                "web",
                List.of("echo", "hello"),
                Status.PASSED,
                0,
                Duration.ofMillis(110),
                "hello\n",
                "",
                "");
        RunReport report = new RunReport(
                dir.resolve("smoke.clnrm.toml"),
                "smoke",
                List.of(),
                List.of(passed),
                Duration.ofMillis(1300),
                Duration.ofMillis(110),
                Duration.ofMillis(320));
        Path reports = dir.resolve("reports");

        // Act
        List<Path> written = Reports.writeAll(List.of(report), dir, reports);

        // Assert
        assertThat(written)
                .containsExactly(reports.resolve("TEST-cleanroom.smoke.xml"), reports.resolve(Reports.SUMMARY_FILE));
        assertThat(Files.readString(written.get(0))).contains("says_hello");
        assertThat(Files.readString(written.get(1))).contains("\"passed\": true");
    }

    @Test
    void durationTextReadsWhatUsersWrite() {
        assertThat(DurationText.parse("15s")).contains(Duration.ofSeconds(15));
        assertThat(DurationText.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(DurationText.parse("15 seconds")).isEmpty();
    }
}
