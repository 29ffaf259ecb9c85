package dev.cleanroom.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceLookupTest {

    private static final Path FILE = Path.of("/project/src/test/cleanroom/web.clnrm.toml");
    private static final List<String> SERVICES = List.of("web", "db");
    private static final String PROPERTIES_FILE = "target/cleanroom/cleanroom.properties";

    private final List<String> runsAskedAbout = new ArrayList<>();

    private ServiceLookup.RunCheck runsUp(String... upRunIds) {
        return runId -> {
            runsAskedAbout.add(runId);
            return List.of(upRunIds).contains(runId);
        };
    }

    private static Map<String, String> exported(int webPort, int dbPort) {
        return Map.of(
                "cleanroom.web.host",
                "127.0.0.1",
                "cleanroom.web.port",
                Integer.toString(webPort),
                "cleanroom.web.port.8080",
                Integer.toString(webPort),
                "cleanroom.web.url",
                "http://127.0.0.1:" + webPort,
                "cleanroom.db.host",
                "127.0.0.1",
                "cleanroom.db.port.5432",
                Integer.toString(dbPort),
                "cleanroom.db.port",
                Integer.toString(dbPort));
    }

    @Test
    void usesTheSystemPropertiesWhenTheyNameEveryServiceAndAsksDockerNothing() throws Exception {
        // Act
        ServiceLookup.Outcome outcome = ServiceLookup.find(
                FILE,
                SERVICES,
                exported(32780, 32781),
                exported(1, 2),
                Map.of(FILE.toString(), "run-1"),
                runsUp("run-1"),
                PROPERTIES_FILE);

        // Assert: the build's values win over a properties file, and no run is looked up
        assertThat(outcome).isInstanceOf(ServiceLookup.Exported.class);
        Map<String, ServiceEndpoint> services = ((ServiceLookup.Exported) outcome).services();
        assertThat(services.get("web").url()).isEqualTo("http://127.0.0.1:32780");
        assertThat(services.get("db").port(5432)).isEqualTo(32781);
        assertThat(runsAskedAbout).isEmpty();
    }

    @Test
    void startsTheServicesWhenNeitherSystemPropertiesNorAPropertiesFileNameThem() throws Exception {
        // Act
        ServiceLookup.Outcome outcome = ServiceLookup.find(
                FILE, SERVICES, Map.of("java.version", "17"), Map.of(), Map.of(), runsUp(), PROPERTIES_FILE);

        // Assert
        assertThat(outcome)
                .isEqualTo(new ServiceLookup.StartThem(
                        "no cleanroom.<service>.* system properties and no " + PROPERTIES_FILE));
    }

    @Test
    void startsTheServicesWhenTheSystemPropertiesNameOnlySomeAndSaysWhichAreMissing() throws Exception {
        // Arrange: another file's "web" exported by the build, but no "db"
        Map<String, String> onlyWeb = Map.of("cleanroom.web.host", "127.0.0.1", "cleanroom.web.port", "32780");

        // Act
        ServiceLookup.Outcome outcome =
                ServiceLookup.find(FILE, SERVICES, onlyWeb, Map.of(), Map.of(), runsUp(), PROPERTIES_FILE);

        // Assert
        assertThat(outcome).isInstanceOf(ServiceLookup.StartThem.class);
        assertThat(((ServiceLookup.StartThem) outcome).why())
                .isEqualTo("the system properties name [web] but not [db]; no " + PROPERTIES_FILE);
    }

    @Test
    void usesTheServicesOfThePropertiesFileWhenItsRunIsStillUp() throws Exception {
        // Act
        ServiceLookup.Outcome outcome = ServiceLookup.find(
                FILE,
                SERVICES,
                Map.of(),
                exported(40001, 40002),
                Map.of(FILE.toString(), "run-kept"),
                runsUp("run-kept"),
                PROPERTIES_FILE);

        // Assert
        assertThat(outcome).isInstanceOf(ServiceLookup.LeftRunning.class);
        ServiceLookup.LeftRunning leftRunning = (ServiceLookup.LeftRunning) outcome;
        assertThat(leftRunning.runId()).isEqualTo("run-kept");
        assertThat(leftRunning.services().get("web").port()).isEqualTo(40001);
        assertThat(runsAskedAbout).containsExactly("run-kept");
    }

    @Test
    void startsTheServicesWhenTheRunThePropertiesFileNamesIsNoLongerUp() throws Exception {
        // Act: a build without keepRunning removed its services at its end, leaving the file behind
        ServiceLookup.Outcome outcome = ServiceLookup.find(
                FILE,
                SERVICES,
                Map.of(),
                exported(40001, 40002),
                Map.of(FILE.toString(), "run-gone"),
                runsUp(),
                PROPERTIES_FILE);

        // Assert
        assertThat(outcome)
                .isEqualTo(new ServiceLookup.StartThem("the run run-gone that " + PROPERTIES_FILE
                        + " names is no longer up, or this JVM cannot reach it"));
    }

    @Test
    void startsTheServicesWhenThePropertiesFileLacksOneOrNoRunOfThisFileIsRecorded() throws Exception {
        // Act
        ServiceLookup.Outcome partial = ServiceLookup.find(
                FILE,
                SERVICES,
                Map.of(),
                Map.of("cleanroom.web.host", "127.0.0.1"),
                Map.of(FILE.toString(), "run-1"),
                runsUp("run-1"),
                PROPERTIES_FILE);
        ServiceLookup.Outcome otherFile = ServiceLookup.find(
                FILE,
                SERVICES,
                Map.of(),
                exported(40001, 40002),
                Map.of("/project/src/test/cleanroom/other.clnrm.toml", "run-1"),
                runsUp("run-1"),
                PROPERTIES_FILE);

        // Assert
        assertThat(partial).isEqualTo(new ServiceLookup.StartThem(PROPERTIES_FILE + " does not name [db]"));
        assertThat(otherFile)
                .isEqualTo(new ServiceLookup.StartThem(
                        PROPERTIES_FILE + " names the services, but no run of web.clnrm.toml is recorded next to it"));
        assertThat(runsAskedAbout).isEmpty();
    }
}
