package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Does what a user's Ctrl-C does while the services are up and the tests run: signals the
 * Maven JVM that runs this build, then waits to be killed with it.
 */
class InterruptedBuildIT {

    @Test
    void interruptsTheMavenBuildThatRunsIt() throws Exception {
        assertNotNull(System.getProperty("cleanroom.web.url"), "the services are up before the signal");
        ProcessHandle maven = mavenJvm().orElseThrow(() -> new IllegalStateException("no Maven JVM above this test"));
        // A terminal's Ctrl-C sends SIGINT. A JVM keeps SIGINT ignored when it was ignored at its
        // start (a launcher that runs builds in the background does that); SIGTERM then takes the
        // same path in the JVM (shutdown hooks), so use it and say so.
        String signal = ignoresSigint(maven.pid()) ? "TERM" : "INT";
        Files.writeString(Path.of("target", "signal-sent.txt"), signal + "\n");
        new ProcessBuilder("kill", "-" + signal, Long.toString(maven.pid())).inheritIO().start().waitFor();
        Thread.sleep(90_000); // Maven ends this JVM long before
    }

    /** The nearest ancestor that runs Maven (plexus-classworlds' launcher). */
    private static Optional<ProcessHandle> mavenJvm() {
        for (Optional<ProcessHandle> p = ProcessHandle.current().parent(); p.isPresent(); p = p.get().parent()) {
            if (p.get().info().commandLine().orElse("").contains("org.codehaus.plexus.classworlds.launcher.Launcher")) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static boolean ignoresSigint(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0; // bit 2 - 1: SIGINT
            }
        }
        return false;
    }
}
