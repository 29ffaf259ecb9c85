package dev.cleanroom.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cleanroom.engine.api.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void countsEveryOutcomeAndFailsTheVerdictOnAFailedStep() throws Exception {
        // Arrange
        Path target = dir.resolve("cleanroom-reports/cleanroom-summary.json");

        // Act
        JsonSummary.write(List.of(ReportFixture.oneStepOfEachOutcome()), target);

        // Assert
        JsonNode summary = JSON.readTree(Files.readString(target));
        assertThat(summary.get("passed").asBoolean()).isFalse();
        assertThat(summary.get("counts").toString())
                .isEqualTo("{\"passed\":1,\"failed\":1,\"tolerated\":1,\"skipped\":1}");
        assertThat(summary.get("files")).hasSize(1);
    }

    @Test
    void eachFileHasItsDurationsServicesAndSteps() throws Exception {
        // Act
        JsonNode file = JSON.readTree(JsonSummary.render(List.of(ReportFixture.oneStepOfEachOutcome())))
                .get("files")
                .get(0);

        // Assert
        assertThat(file.get("file").asText())
                .isEqualTo(Path.of("src/test/cleanroom/half-right.clnrm.toml").toString());
        assertThat(file.get("name").asText()).isEqualTo("half right");
        assertThat(file.get("passed").asBoolean()).isFalse();
        assertThat(file.get("start_ms").asLong()).isEqualTo(1300);
        assertThat(file.get("steps_ms").asLong()).isEqualTo(1630);
        assertThat(file.get("stop_ms").asLong()).isEqualTo(320);
        JsonNode web = file.get("services").get(0);
        assertThat(web.get("name").asText()).isEqualTo("web");
        assertThat(web.get("type").asText()).isEqualTo("generic_container");
        assertThat(web.get("image").asText()).isEqualTo("cleanroom/busybox:fixture");
        assertThat(web.get("image_digest").asText()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(web.get("ready_ms").asLong()).isEqualTo(1200);
        assertThat(web.get("endpoints").get("url").asText()).isEqualTo("http://127.0.0.1:32780");
        assertThat(file.get("steps"))
                .extracting(s -> s.get("name").asText() + " " + s.get("status").asText() + " "
                        + s.get("exit_code").asInt() + " "
                        + s.get("duration_ms").asLong())
                .containsExactly(
                        "says_hello PASSED 0 110",
                        "greets_the_world FAILED 0 1500",
                        "may_fail TOLERATED 1 20",
                        "never_ran SKIPPED -1 0");
    }

    @Test
    void stringsWithQuotesNewlinesAndControlCharactersRoundTrip() throws Exception {
        // Act
        JsonNode failed = JSON.readTree(JsonSummary.render(List.of(ReportFixture.oneStepOfEachOutcome())))
                .get("files")
                .get(0)
                .get("steps")
                .get(1);

        // Assert
        assertThat(failed.get("command"))
                .extracting(JsonNode::asText)
                .containsExactly("echo", "goodbye <cruel> \"world\"");
        assertThat(failed.get("failure").asText())
                .isEqualTo(
                        "Step \"greets_the_world\" output does not match expected_output_regex /hello, world/\noutput: goodbye");
        assertThat(JSON.readTree(dev.cleanroom.engine.spi.Json.quote("a\\b\tc\u0001\r"))
                        .asText())
                .isEqualTo("a\\b\tc\u0001\r");
    }

    @Test
    void aBuildWithoutFailuresPassesEvenWithToleratedSteps() throws Exception {
        // Arrange
        RunReport fixture = ReportFixture.oneStepOfEachOutcome();
        RunReport tolerant = new RunReport(
                fixture.file(),
                fixture.name(),
                fixture.services(),
                List.of(fixture.steps().get(0), fixture.steps().get(2)),
                Duration.ZERO,
                Duration.ZERO,
                Duration.ZERO);

        // Act
        JsonNode summary = JSON.readTree(JsonSummary.render(List.of(tolerant, tolerant)));

        // Assert
        assertThat(summary.get("passed").asBoolean()).isTrue();
        assertThat(summary.get("counts").toString())
                .isEqualTo("{\"passed\":2,\"failed\":0,\"tolerated\":2,\"skipped\":0}");
        assertThat(summary.get("files")).hasSize(2);
    }

    @Test
    void noRunsIsStillValidJson() throws Exception {
        // Act
        JsonNode summary = JSON.readTree(JsonSummary.render(List.of()));

        // Assert
        assertThat(summary.get("passed").asBoolean()).isTrue();
        assertThat(summary.get("files")).isEmpty();
    }

    @Test
    void theCountKeysAreTheSameUnderATurkishDefaultLocale() throws Exception {
        // Arrange: in Turkish, "FAILED".toLowerCase() is "faıled" (dotless i), a key no tool reads.
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr"));
        try {
            // Act
            JsonNode summary = JSON.readTree(JsonSummary.render(List.of(ReportFixture.oneStepOfEachOutcome())));

            // Assert
            assertThat(summary.get("counts").toString())
                    .isEqualTo("{\"passed\":1,\"failed\":1,\"tolerated\":1,\"skipped\":1}");
            assertThat(summary.get("files").get(0).get("steps"))
                    .extracting(s -> s.get("status").asText())
                    .containsExactly("PASSED", "FAILED", "TOLERATED", "SKIPPED");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aStepWhoseOutputWasCutSaysWhereAndOthersDoNotMentionIt() throws Exception {
        // Arrange
        RunReport fixture = ReportFixture.oneStepOfEachOutcome();
        String cut = "stdout was cut: kept the first 524288 and the last 524288 of 1200017 bytes";
        RunReport report = new RunReport(
                fixture.file(),
                fixture.name(),
                fixture.services(),
                List.of(
                        fixture.steps().get(0),
                        new dev.cleanroom.engine.api.StepResult(
                                "chatty",
                                "web",
                                List.of("run-tests"),
                                dev.cleanroom.engine.api.StepResult.Status.PASSED,
                                0,
                                Duration.ofMillis(5),
                                "...",
                                "",
                                "",
                                cut)),
                fixture.startDuration(),
                fixture.stepsDuration(),
                fixture.stopDuration());

        // Act
        JsonNode steps = JSON.readTree(JsonSummary.render(List.of(report)))
                .get("files")
                .get(0)
                .get("steps");

        // Assert
        assertThat(steps.get(0).has("output_cut")).isFalse();
        assertThat(steps.get(1).get("output_cut").asText()).isEqualTo(cut);
    }
}
