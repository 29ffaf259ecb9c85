package dev.cleanroom.plugins.engines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link RunFile} in a child JVM whose environment the test sets: a JVM cannot change its
 * own environment, and discovery reads HOME, DOCKER_CONFIG and DOCKER_HOST from it. The child's
 * class loading is logged to a file so a test can say which classes a run needed.
 */
public final class ChildBuild {

    /** What the child printed, its exit code and every class it loaded. */
    public record Outcome(int exitCode, String output, List<String> loadedClasses) {}

    private ChildBuild() {}

    /**
     * @param home the child's home directory: HOME and user.home (Java takes user.home from the
     *     password database, not from HOME)
     * @param environment variables to set; a null value removes the variable. DOCKER_HOST,
     *     DOCKER_CONTEXT and DOCKER_CONFIG are removed unless given, so the test's own settings
     *     cannot leak into the child.
     */
    public static Outcome run(Path file, String project, Path workDir, Path home, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path classLog = workDir.resolve("classes-" + project + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xlog:class+load=info:file=" + classLog,
                "-Duser.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                RunFile.class.getName(),
                file.toString(),
                project));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Path output = workDir.resolve("output-" + project + ".log");
        builder.redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        for (String inherited : List.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY")) {
            env.remove(inherited);
        }
        env.put("HOME", home.toString());
        environment.forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        Process child = builder.start();
        try {
            if (!child.waitFor(3, TimeUnit.MINUTES)) {
                throw new AssertionError("the child build did not end within 3 minutes:\n" + read(output));
            }
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        List<String> classes =
                Files.exists(classLog) ? Files.readAllLines(classLog, StandardCharsets.UTF_8) : List.of();
        return new Outcome(child.exitValue(), read(output), classes);
    }

    private static String read(Path output) throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }
}
