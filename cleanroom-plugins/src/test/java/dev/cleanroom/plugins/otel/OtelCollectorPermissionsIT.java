package dev.cleanroom.plugins.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.plugins.DockerCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The otel_collector's files on a shared machine: a second, unprivileged local user tries to turn
 * the collector's files into symbolic links to a file only root may read, so that the next
 * build, run as root, would empty it and open it to everyone. Needs root (to create that user and
 * to run as the build CI runs); the user is removed afterwards.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OtelCollectorPermissionsIT {

    private static final String ROOT_ONLY_CONTENT = "root:only:secret\n";

    /** The other local user, e.g. clnrm-it-1a2b3c4d; null when none was created. */
    private static String otherUser;

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();
    private final CleanroomEngine engine =
            CleanroomEngine.builder().project(project).build();
    private Path rootOnly;

    @BeforeAll
    static void createAnUnprivilegedUser() throws Exception {
        assumeTrue(
                Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "OtelCollectorPermissionsIT needs root: it creates a local user with useradd and builds as root, "
                        + "as CI does");
        String name = "clnrm-it-" + UUID.randomUUID().toString().substring(0, 8);
        run(List.of("useradd", "--create-home", "--shell", "/usr/sbin/nologin", name))
                .assertSucceeded();
        otherUser = name;
    }

    @AfterAll
    static void removeTheUser() throws Exception {
        if (otherUser != null) {
            run(List.of("userdel", "--remove", otherUser)).assertSucceeded();
        }
    }

    @BeforeEach
    void aProjectEveryoneMayReadAndAFileOnlyRootMayRead() throws IOException {
        // A checkout others can read, as on a shared build machine; they may not write into it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        rootOnly = Files.writeString(dir.resolve("root-only.txt"), ROOT_ONLY_CONTENT);
        Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void nothingOfTheRunRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    @Test
    void anotherUserCannotPlantSymlinksThatMakeTheNextRunWriteARootOnlyFile() throws Exception {
        // Arrange
        Path toml = write("""
                [services.collector]
                type = "otel_collector"
                image = "STANDIN"
                start_timeout = "20s"
                """);
        Path out = dir.resolve("target/cleanroom/otel/collector");
        List<Result> attempts = new ArrayList<>();
        attempts.add(asOtherUser("mkdir", "-p", out.toString()));
        runOnce(toml);
        for (String name :
                List.of("traces.jsonl", "collector-config.yaml", "received/traces.jsonl", "received/logs.jsonl")) {
            attempts.add(asOtherUser(
                    "ln", "-sf", rootOnly.toString(), out.resolve(name).toString()));
        }
        attempts.add(asOtherUser(
                "mv", out.resolve("received").toString(), out.resolve("moved").toString()));

        // Act: the next build, as root, and a span through it
        String[] tracesFile = new String[1];
        Throwable nextRun = catchThrowable(() -> tracesFile[0] = runOnce(toml));

        // Assert
        assertThat(rootOnly).hasContent(ROOT_ONLY_CONTENT.strip());
        assertThat(mode(rootOnly)).isEqualTo("rw-------");
        assertThat(Files.getAttribute(rootOnly, "unix:uid")).isEqualTo(0);
        assertThat(nextRun).as("the next run").isNull();
        assertThat(attempts)
                .as("what the other user tried")
                .allSatisfy(attempt ->
                        assertThat(attempt.exitCode()).as(attempt.toString()).isNotZero());
        assertThat(Path.of(tracesFile[0])).isEqualTo(out.resolve("received/traces.jsonl"));
        assertThat(Files.readString(Path.of(tracesFile[0]))).contains("\"name\":\"after-the-attempts\"");
        assertThat(worldWritableUnder(dir.resolve("target"))).isEmpty();
    }

    @Test
    void anExistingOutputDirOfMode700KeepsItAndTheCollectorStillWritesIntoIt() throws Exception {
        // Arrange
        Path out = Files.createDirectory(
                dir.resolve("otel-out"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path toml = write("""
                [services.collector]
                type = "otel_collector"
                image = "STANDIN"
                output_dir = "otel-out"
                """);

        // Act
        String tracesFile = runOnce(toml);

        // Assert
        assertThat(mode(out)).isEqualTo("rwx------");
        assertThat(Files.readString(Path.of(tracesFile))).contains("\"name\":\"after-the-attempts\"");
        assertThat(asOtherUser("ls", out.toString()).exitCode())
                .as("the other user lists otel-out")
                .isNotZero();
        assertThat(worldWritableUnder(out)).isEmpty();
    }

    @Test
    void outputDirAnotherUserOwnsIsRefusedBeforeAnyContainerStarts() throws Exception {
        // Arrange: a directory everyone may create entries in, like /tmp, where the other user was first
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path theirs = shared.resolve("otel");
        asOtherUser("mkdir", "-p", theirs.resolve("received").toString()).assertSucceeded();
        asOtherUser(
                        "ln",
                        "-s",
                        rootOnly.toString(),
                        theirs.resolve("traces.jsonl").toString())
                .assertSucceeded();
        asOtherUser(
                        "ln",
                        "-s",
                        rootOnly.toString(),
                        theirs.resolve("received/traces.jsonl").toString())
                .assertSucceeded();
        Path toml = write("""
                [services.collector]
                type = "otel_collector"
                image = "STANDIN"
                output_dir = "shared/otel"
                """);
        Object theirUid = Files.getAttribute(theirs, "unix:uid");

        // Act
        Throwable thrown = catchThrowable(() -> engine.start(engine.load(toml)).close());

        // Assert
        assertThat(rootOnly).hasContent(ROOT_ONLY_CONTENT.strip());
        assertThat(mode(rootOnly)).isEqualTo("rw-------");
        assertThat(thrown)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("services.collector.output_dir: "
                        + theirs + " belongs to another user (uid " + theirUid
                        + "), who could replace the collector's files "
                        + "(point output_dir at a directory of yours, or remove " + theirs
                        + " and let Cleanroom create it)");
        assertThat(DockerCli.containersOf(project)).isEmpty();
    }

    /** Starts the file's collector, sends one span, waits until it is in traces_file, stops; traces_file. */
    private String runOnce(Path toml) throws Exception {
        try (Environment environment = engine.start(engine.load(toml))) {
            Map<String, String> properties = environment.exportedProperties();
            OtelCollectorIT.sendSpan(properties.get("cleanroom.collector.otlp_http"), "after-the-attempts");
            Path traces = Path.of(properties.get("cleanroom.collector.traces_file"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.readString(traces).contains("after-the-attempts") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            return traces.toString();
        }
    }

    private Path write(String toml) throws IOException {
        Path file = dir.resolve("otel.clnrm.toml");
        Files.writeString(file, toml.replace("STANDIN", OtelCollectorIT.STANDIN));
        return file;
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    /** Directories under {@code root} (itself included) that every user may write into. */
    private static List<Path> worldWritableUnder(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
                    .filter(path -> {
                        try {
                            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)
                                    .contains(PosixFilePermission.OTHERS_WRITE);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
    }

    private static Result asOtherUser(String... argv) throws Exception {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", otherUser, "--"));
        command.addAll(List.of(argv));
        return run(command);
    }

    private static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 30 s");
        }
        return new Result(command, process.exitValue(), output.strip());
    }

    private record Result(List<String> command, int exitCode, String output) {

        void assertSucceeded() {
            assertThat(exitCode).as(this.toString()).isZero();
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + (output.isEmpty() ? "" : ": " + output);
        }
    }
}
