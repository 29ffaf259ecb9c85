package dev.cleanroom.plugins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI, for Docker tests to check what the engine did through an independent path
 * (the daemon's own answers) rather than through the engine's code.
 */
public final class DockerCli {

    /** The fixture image built by scripts/build-fixture-images.sh. */
    public static final String BUSYBOX = "cleanroom/busybox:fixture";

    private DockerCli() {}

    public static String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(Arrays.asList(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("docker " + String.join(" ", args) + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + output);
            }
            return output.strip();
        } catch (IOException e) {
            throw new IllegalStateException("docker CLI not available: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(String output) {
        return output.isBlank() ? List.of() : List.of(output.split("\n"));
    }

    /** Containers, running or not, labelled with this project. */
    public static List<String> containersOf(String project) {
        return lines(run("ps", "-aq", "--filter", "label=dev.cleanroom.project=" + project));
    }

    public static List<String> networksOf(String project) {
        return lines(run("network", "ls", "-q", "--filter", "label=dev.cleanroom.project=" + project));
    }

    /** Containers and networks of the project; empty when nothing was left behind. */
    public static List<String> leftoversOf(String project) {
        List<String> all = new ArrayList<>(containersOf(project));
        all.addAll(networksOf(project));
        return all;
    }
}
