package dev.cleanroom.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension without Docker: what it does with exported system properties, and its errors.
 * The annotated classes are static nested ones, which Surefire does not run by itself; the tests
 * run them through the launcher.
 */
class CleanroomExtensionTest {

    private static final Map<String, String> EXPORTED = Map.of(
            "cleanroom.web.host",
            "192.0.2.7",
            "cleanroom.web.port",
            "41234",
            "cleanroom.web.port.8080",
            "41234",
            "cleanroom.web.url",
            "http://192.0.2.7:41234");

    @LaunchedOnly
    @Cleanroom("src/test/cleanroom/web.clnrm.toml")
    static class UsesExportedServices {

        @CleanroomService("web")
        static ServiceEndpoint staticWeb;

        @CleanroomService("web")
        ServiceEndpoint web;

        @BeforeAll
        static void staticFieldIsSetBeforeAll() {
            assertThat(staticWeb.port()).isEqualTo(41234);
        }

        @Test
        void getsTheExportedValuesAsParameterAndField(@CleanroomService("web") ServiceEndpoint parameter) {
            // 192.0.2.7 (TEST-NET-1) is nothing Docker would give: these are the exported values
            assertThat(parameter.host()).isEqualTo("192.0.2.7");
            assertThat(parameter.port()).isEqualTo(41234);
            assertThat(parameter.port(8080)).isEqualTo(41234);
            assertThat(parameter.url()).isEqualTo("http://192.0.2.7:41234");
            assertThat(web.url()).isEqualTo(parameter.url());
        }
    }

    @Test
    void usesTheExportedSystemPropertiesAndStartsNothing() {
        // Arrange: what Failsafe passes on after cleanroom:start
        EXPORTED.forEach(System::setProperty);
        try {
            // Act
            TestExecutionSummary summary = Launch.run(UsesExportedServices.class);

            // Assert
            assertThat(Launch.failureMessages(summary)).isEmpty();
            assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        } finally {
            EXPORTED.keySet().forEach(System::clearProperty);
        }
    }

    @LaunchedOnly
    @Cleanroom("src/test/cleanroom/nothing-here.clnrm.toml")
    static class NamesAMissingFile {
        @Test
        void neverRuns() {}
    }

    @Test
    void aMissingFileFailsTheClassNamingTheFileAndTheFilesThatExist() {
        // Act
        TestExecutionSummary summary = Launch.run(NamesAMissingFile.class);

        // Assert
        List<String> failures = Launch.failureMessages(summary);
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0))
                .contains("@Cleanroom on " + NamesAMissingFile.class.getName()
                        + " names src/test/cleanroom/nothing-here.clnrm.toml, which does not exist")
                .contains("relative to the project's base directory")
                .contains("The Cleanroom files there: src/test/cleanroom/web.clnrm.toml.");
    }

    @LaunchedOnly
    @Cleanroom("src/test/cleanroom/web.clnrm.toml")
    static class AsksForAnUnknownService {
        @Test
        void neverRuns(@CleanroomService("wbe") ServiceEndpoint typo) {}
    }

    @Test
    void anUnknownServiceFailsTheTestNamingTheServicesThatExist() {
        // Arrange
        EXPORTED.forEach(System::setProperty);
        try {
            // Act
            TestExecutionSummary summary = Launch.run(AsksForAnUnknownService.class);

            // Assert
            assertThat(Launch.failureMessages(summary))
                    .containsExactly("ParameterResolutionException: No service "
                            + "\"wbe\" in the Cleanroom files of AsksForAnUnknownService (src/test/cleanroom/web.clnrm.toml); "
                            + "their services: [web]. Perhaps you should write one of those in @CleanroomService.");
        } finally {
            EXPORTED.keySet().forEach(System::clearProperty);
        }
    }
}
