package dev.cleanroom.plugins.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.internal.ServiceFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code chaos_engine} accepts and refuses, through the real parser. Problems are compared
 * as users read them, with the temporary file's path shown as {@code app.clnrm.toml}.
 */
class ChaosEngineConfigTest {

    /** Lines 1-6; keys appended after it start on line 7. */
    private static final String HEAD = """
            [services.api]
            type = "generic_container"
            image = "alpine:3.20"

            [services.chaos]
            type = "chaos_engine"
            """;

    @TempDir
    Path dir;

    private Path file;
    private TomlConfigParser parser;

    @BeforeEach
    void setUp() {
        file = dir.resolve("app.clnrm.toml");
        parser = new TomlConfigParser(factory());
    }

    static ServiceFactory factory() {
        ServiceFactory factory = ServiceFactory.discover(ChaosEngineConfigTest.class.getClassLoader());
        if (factory.plugin(ChaosEnginePlugin.TYPE).isEmpty()) {
            factory.register(new ChaosEnginePlugin());
        }
        return factory;
    }

    @Test
    void seedExampleIsAcceptedWithItsAmounts() throws Exception {
        // Arrange
        String toml = HEAD + """
                chaos.network.packet_loss_percent = 10
                chaos.cpu.stress_percent = 50
                chaos.memory.stress_mb = 512
                """;

        // Act
        ChaosSettings settings = settings(parse(toml));

        // Assert
        assertThat(settings.lossPercent()).isEqualTo(10.0);
        assertThat(settings.cpuPercent()).isEqualTo(50);
        assertThat(settings.cpuWorkers()).isEqualTo(1);
        assertThat(settings.memoryMb()).isEqualTo(512);
        assertThat(settings.image()).isEqualTo("nicolaka/netshoot:v0.13");
        assertThat(settings.targets()).as("every other service").containsExactly("api");
        assertThat(settings.startDelay()).isEqualTo(Duration.ZERO);
        assertThat(settings.duration()).isEmpty();
    }

    @Test
    void targetsDefaultToEveryOtherServiceAndBecomeDependencies() throws Exception {
        // Arrange
        TestFile parsed = parse(HEAD + "chaos.cpu.stress_percent = 10\n");

        // Act
        Set<String> dependencies = parsed.services().get("chaos").definition().implicitDependencies();

        // Assert
        assertThat(dependencies).containsExactly("api");
    }

    @Test
    void namedTargetsAreTheDependencies() throws Exception {
        // Arrange
        TestFile parsed = parse(HEAD + "targets = [\"api\"]\nchaos.cpu.stress_percent = 10\n"
                + "\n[services.db]\ntype = \"generic_container\"\nimage = \"alpine:3.20\"\n");

        // Act
        Set<String> dependencies = parsed.services().get("chaos").definition().implicitDependencies();

        // Assert
        assertThat(dependencies).containsExactly("api");
    }

    @Test
    void twoChaosServicesWithoutTargetsEachTargetOnlyTheOtherServicesNotEachOther() throws Exception {
        // Arrange: neither names targets; aiming each at the other would be a cycle nobody wrote
        TestFile parsed = parse(HEAD + "chaos.cpu.stress_percent = 10\n"
                + "\n[services.more_chaos]\ntype = \"chaos_engine\"\nchaos.network.latency_ms = 100\n");

        // Act
        Set<String> first = parsed.services().get("chaos").definition().implicitDependencies();
        Set<String> second = parsed.services().get("more_chaos").definition().implicitDependencies();

        // Assert
        assertThat(first).containsExactly("api");
        assertThat(second).containsExactly("api");
    }

    @Test
    void aChaosServiceMayStillNameAnotherChaosServiceAsItsTarget() throws Exception {
        // Arrange
        TestFile parsed = parse(
                HEAD + "chaos.cpu.stress_percent = 10\n"
                        + "\n[services.more_chaos]\ntype = \"chaos_engine\"\ntargets = [\"chaos\"]\nchaos.network.latency_ms = 100\n");

        // Act
        Set<String> dependencies =
                parsed.services().get("more_chaos").definition().implicitDependencies();

        // Assert
        assertThat(dependencies).containsExactly("chaos");
    }

    @Test
    void aFileWithOnlyAChaosServiceIsRefusedAtLoadInsteadOfFailingAtStart() throws Exception {
        // Act
        List<String> problems = problems("""
                [services.chaos]
                type = "chaos_engine"
                chaos.cpu.stress_percent = 10
                """);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:1:1: services.chaos.targets: no service to disturb: the "
                        + "file has no other service (add the service to disturb to the file)");
    }

    @Test
    void chaosServicesWithNoOtherServiceToDisturbAreToldHowToNameOne() throws Exception {
        // Act
        List<String> problems = problems("""
                [services.chaos]
                type = "chaos_engine"
                chaos.cpu.stress_percent = 10

                [services.more_chaos]
                type = "chaos_engine"
                targets = ["chaos"]
                chaos.network.latency_ms = 100
                """);

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:1:1: services.chaos.targets: no service to disturb: the "
                        + "file's other services are chaos_engine ones, which are targets only when named (add the service to "
                        + "disturb to the file, or name it: targets = [\"more_chaos\"])");
    }

    @Test
    void discoveryFindsTheChaosEngine() {
        assertThat(ServiceFactory.discover(getClass().getClassLoader()).plugin(ChaosEnginePlugin.TYPE))
                .hasValueSatisfying(p -> assertThat(p).isInstanceOf(ChaosEnginePlugin.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "100.5", "250"})
    void lossPercentOutsideItsRangeIsRefusedWithTheRange(String value) throws Exception {
        // Act
        List<String> problems = problems(HEAD + "chaos.network.packet_loss_percent = " + value + "\n");

        // Assert
        // The engine's range check, for every number key: the value as a TOML float.
        assertThat(problems)
                .containsExactly("app.clnrm.toml:7:1: services.chaos.chaos.network.packet_loss_percent: "
                        + Double.parseDouble(value)
                        + " is outside 0.0..100.0 (write a value in range, or remove the key for "
                        + "its default 0.0)");
    }

    @Test
    void cpuPercentOutsideItsRangeIsRefusedWithTheRange() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "chaos.cpu.stress_percent = 101\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:7:1: services.chaos.chaos.cpu.stress_percent: 101 is "
                        + "outside 0..100 (write a value in range, or remove the key for its default 0)");
    }

    @Test
    void negativeAmountsAreRefusedWithTheirRanges() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "chaos.memory.stress_mb = -5\nchaos.network.bandwidth_kbit = 0\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:7:1: services.chaos.chaos.memory.stress_mb: -5 is outside 0..1048576 "
                                + "(write a value in range, or remove the key for its default 0)",
                        "app.clnrm.toml:8:1: services.chaos.chaos.network.bandwidth_kbit: 0 is outside 1..10000000 "
                                + "(write a value in range, or remove the key for its default no limit)");
    }

    @Test
    void negativeLatencyIsRefusedWithItsRange() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "chaos.network.latency_ms = -100\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:7:1: services.chaos.chaos.network.latency_ms: -100 is "
                        + "outside 0..60000 (write a value in range, or remove the key for its default 0)");
    }

    @Test
    void jitterWithoutLatencyIsRefused() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "chaos.network.jitter_ms = 10\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:7:1: services.chaos.chaos.network.jitter_ms: needs "
                                + "chaos.network.latency_ms (add chaos.network.latency_ms = 100, the delay the jitter varies around)");
    }

    @Test
    void unknownLatencyModeIsRefusedWithTheAcceptedOnes() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "chaos.network.latency_ms = 100\nchaos.network.mode = \"tc\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:8:1: services.chaos.chaos.network.mode: \"tc\" is not a "
                        + "latency mode (accepted: auto, netem, proxy)");
    }

    @Test
    void diskStressAmountsOutsideTheirRangesAreRefusedWithTheRange() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "chaos.disk.io_workers = 17\nchaos.disk.file_mb = 0\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:7:1: services.chaos.chaos.disk.io_workers: 17 is outside 0..16 "
                                + "(write a value in range, or remove the key for its default 0)",
                        "app.clnrm.toml:8:1: services.chaos.chaos.disk.file_mb: 0 is outside 1..4096 "
                                + "(write a value in range, or remove the key for its default 64)");
    }

    @Test
    void diskFileSizeWithoutWorkersIsRefused() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "chaos.cpu.stress_percent = 10\nchaos.disk.file_mb = 32\n");

        // Assert
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:8:1: services.chaos.chaos.disk.file_mb: needs "
                                + "chaos.disk.io_workers (add chaos.disk.io_workers = 1, the workers that write files of this size)");
    }

    @Test
    void seedLatencyExampleIsAcceptedInAutoMode() throws Exception {
        // Arrange
        String toml = """
                [services.api]
                type = "generic_container"
                image = "my-api:latest"

                [services.chaos]
                type = "chaos_engine"
                chaos.network.latency_ms = 200
                """;

        // Act
        ChaosSettings settings = settings(parse(toml));

        // Assert
        assertThat(settings.latencyMs()).isEqualTo(200);
        assertThat(settings.jitterMs()).isZero();
        assertThat(settings.mode()).isEqualTo(ChaosSettings.LatencyMode.AUTO);
        assertThat(settings.networkFaults()).isTrue();
    }

    @Test
    void unknownTargetIsRefusedWithTheKnownServices() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "targets = [\"apii\"]\nchaos.cpu.stress_percent = 10\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:7:1: services.chaos.targets: unknown service \"apii\" "
                        + "(accepted: the other services of this file: api)");
    }

    @Test
    void chaosCannotTargetItself() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "targets = [\"chaos\"]\nchaos.cpu.stress_percent = 10\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:7:1: services.chaos.targets: a chaos service cannot "
                        + "target itself (\"chaos\") (name the services to disturb)");
    }

    @Test
    void aChaosServiceWithoutAnyFaultIsRefused() throws Exception {
        // Act
        List<String> problems = problems(HEAD);

        // Assert
        // At the service's table (line 5), through the first fault key: Settings reports problems at keys.
        assertThat(problems)
                .containsExactly(
                        "app.clnrm.toml:5:1: services.chaos.chaos.network.latency_ms: no fault is "
                                + "configured (add e.g. "
                                + "chaos.network.latency_ms = 100, chaos.network.packet_loss_percent = 10, chaos.cpu.stress_percent = 50 or chaos.disk.io_workers = 1)");
    }

    @Test
    void intervalMustBeLongerThanTheWindow() throws Exception {
        // Act
        List<String> problems = problems(
                HEAD + "chaos.cpu.stress_percent = 10\nchaos.duration = \"5s\"\n" + "chaos.interval = \"5s\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:9:1: services.chaos.chaos.interval: must be longer than "
                        + "chaos.duration (5000ms) (the faults are recovered between two windows)");
    }

    @Test
    void intervalWithoutDurationIsRefused() throws Exception {
        // Act
        List<String> problems = problems(HEAD + "chaos.cpu.stress_percent = 10\nchaos.interval = \"5s\"\n");

        // Assert
        assertThat(problems)
                .containsExactly("app.clnrm.toml:8:1: services.chaos.chaos.interval: needs chaos.duration "
                        + "(add chaos.duration shorter than the interval, e.g. chaos.duration = \"10s\")");
    }

    private TestFile parse(String toml) throws Exception {
        Files.writeString(file, toml);
        return parser.parse(file);
    }

    private List<String> problems(String toml) throws Exception {
        Files.writeString(file, toml);
        Throwable thrown = catchThrowable(() -> parser.parse(file));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return ((ConfigException) thrown)
                .problems().stream()
                        .map(p -> p.toString().replace(file.toString(), "app.clnrm.toml"))
                        .toList();
    }

    private static ChaosSettings settings(TestFile parsed) {
        return (ChaosSettings) parsed.services().get("chaos").definition();
    }
}
