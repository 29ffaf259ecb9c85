package dev.cleanroom.plugins.lifecycle;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.PullPolicy;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.plugins.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pull policy and image digests against the real daemon, which is asked what happened (docker events, inspect). */
@Timeout(120)
class ImagePolicyIT {

    /** No registry has it and no build makes it: the daemon cannot have it. */
    private static final String ABSENT =
            "cleanroom/never-built-" + UUID.randomUUID().toString().substring(0, 8) + ":absent";

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();

    @AfterEach
    void nothingOfTheRunRemains() {
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    private Path write(String toml) throws Exception {
        Path file = dir.resolve("images.clnrm.toml");
        Files.writeString(file, toml.replace("BUSYBOX", BUSYBOX).replace("ABSENT", ABSENT));
        return file;
    }

    @Test
    void pullNeverWithAMissingImageFailsNamingItAndTheDaemonCreatesNoContainer() throws Exception {
        CleanroomEngine engine = CleanroomEngine.builder()
                .project(project)
                .pull(PullPolicy.NEVER)
                .build();
        Path file = write("""
                [services.present]
                type = "generic_container"
                image = "BUSYBOX"
                [services.missing]
                type = "generic_container"
                image = "ABSENT"
                """);
        String since = daemonNow();

        assertThatThrownBy(() -> engine.start(engine.load(file)))
                .isInstanceOf(CleanroomException.class)
                .hasMessage("The Docker daemon does not have image " + ABSENT
                        + " (service missing), and cleanroom.pull = \"never\" "
                        + "(the build's setting) forbids pulling it; no container was started. Perhaps you should pull "
                        + "it first (mvn cleanroom:pull, or docker pull " + ABSENT
                        + "), or drop -Dcleanroom.pull=never.");

        String until = daemonNow();
        assertThat(DockerCli.run(
                        "events",
                        "--since",
                        since,
                        "--until",
                        until,
                        "--filter",
                        "type=container",
                        "--filter",
                        "label=dev.cleanroom.project=" + project,
                        "--format",
                        "{{.Action}} {{.Actor.ID}}"))
                .as("container events of this run")
                .isEmpty();
        assertThat(DockerCli.run(
                        "events",
                        "--since",
                        since,
                        "--until",
                        until,
                        "--filter",
                        "type=image",
                        "--filter",
                        "event=pull",
                        "--format",
                        "{{.Actor.ID}}"))
                .doesNotContain(ABSENT);
    }

    @Test
    void eachServiceReportsTheIdOfALocallyBuiltImageAsItsDigest() throws Exception {
        CleanroomEngine engine = CleanroomEngine.builder().project(project).build();
        Path file = write("""
                [services.app]
                type = "generic_container"
                image = "BUSYBOX"
                pull = "never"
                """);

        try (Environment environment = engine.start(engine.load(file))) {
            assertThat(environment.services())
                    .extracting(StartedService::imageDigest)
                    .containsExactly(DockerCli.run("image", "inspect", "--format", "{{.Id}}", BUSYBOX));
        }
    }

    /** The daemon's clock, for docker events windows (this JVM's clock may differ a little). */
    private static String daemonNow() {
        return DockerCli.run("info", "--format", "{{.SystemTime}}").strip();
    }
}
