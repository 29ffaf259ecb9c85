package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.Json;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code get} of the docker credential helper protocol: runs {@code docker-credential-NAME
 * get} (an argv, never a shell), writes the server on its stdin and reads
 * {@code {"ServerURL","Username","Secret"}} from its stdout.
 *
 * <p>What a helper prints when it fails is quoted in the problem (helpers print their errors,
 * never a secret, on failure); what it prints when it succeeds is never quoted.
 */
final class CredentialHelper {

    /** What the helpers of docker-credential-helpers answer when they hold nothing for the server. */
    private static final String NOT_FOUND = "credentials not found in native keychain";

    /** The username with which a helper says that its secret is an identity token. */
    private static final String TOKEN_USERNAME = "<token>";

    private static final int QUOTED_OUTPUT_CHARS = 200;

    /** A helper's answer: credentials, none, or a problem to report (naming the helper). */
    sealed interface Answer permits Found, NotFound, Problem {}

    record Found(String username, String secret, boolean identityToken) implements Answer {
        @Override
        public String toString() {
            return "Found[****]";
        }
    }

    record NotFound() implements Answer {}

    record Problem(String text) implements Answer {}

    private final String name;
    private final DaemonDiscovery.Environment environment;
    private final Duration timeout;

    CredentialHelper(String name, DaemonDiscovery.Environment environment, Duration timeout) {
        this.name = name;
        this.environment = environment;
        this.timeout = timeout;
    }

    /** The name errors use: "credential helper `desktop` (docker-credential-desktop)". */
    String describe() {
        return "credential helper `" + name + "` (" + executableName() + ")";
    }

    Answer get(String serverAddress) {
        if (name.isBlank() || name.contains("/") || name.contains(File.separator)) {
            return new Problem("credential helper `" + name + "` is not a helper name (it must not be empty or "
                    + "contain a path)");
        }
        Optional<Path> executable = onPath();
        if (executable.isEmpty()) {
            return new Problem(describe() + " is not on the PATH");
        }
        try {
            return run(executable.get(), serverAddress);
        } catch (IOException e) {
            return new Problem(describe() + " could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Problem(describe() + " was interrupted");
        }
    }

    private String executableName() {
        return "docker-credential-" + name;
    }

    private Optional<Path> onPath() {
        String path = environment.env().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory).resolve(executableName());
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private Answer run(Path executable, String serverAddress) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(executable.toString(), "get"));
        // The environment under test, which is the JVM's own outside tests.
        builder.environment().clear();
        builder.environment().putAll(environment.env());
        Process helper = builder.start();
        CompletableFuture<String> stdout = readAll(helper.getInputStream());
        CompletableFuture<String> stderr = readAll(helper.getErrorStream());
        try (OutputStream stdin = helper.getOutputStream()) {
            stdin.write((serverAddress + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // It exited without reading: its exit code and output say why.
        }
        if (!helper.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stop(helper);
            return new Problem(describe() + " did not answer within " + timeout.toSeconds() + " s and was stopped");
        }
        String out = output(stdout);
        if (helper.exitValue() != 0) {
            String said = out.isBlank() ? output(stderr) : out;
            return said.contains(NOT_FOUND)
                    ? new NotFound()
                    : new Problem(describe() + " failed with exit code " + helper.exitValue() + quoted(said));
        }
        return parse(out);
    }

    private Answer parse(String out) {
        Optional<Map<String, Object>> answer = Json.object(out.trim());
        Optional<String> username = answer.flatMap(a -> Json.string(a, "Username"));
        Optional<String> secret = answer.flatMap(a -> Json.string(a, "Secret"));
        if (username.isEmpty() || secret.isEmpty()) {
            return new Problem(describe() + " answered without the Username and Secret of its protocol");
        }
        if (secret.get().isEmpty()) {
            return new NotFound();
        }
        return new Found(username.get(), secret.get(), username.get().equals(TOKEN_USERNAME));
    }

    /** Stops the helper and whatever it started (a shell script's children hold its stdout open). */
    private static void stop(Process helper) throws InterruptedException {
        helper.descendants().forEach(ProcessHandle::destroyForcibly);
        helper.destroyForcibly();
        helper.waitFor(5, TimeUnit.SECONDS);
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (stream) {
                        text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        text.complete("");
                    }
                },
                "cleanroom-credential-helper");
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    private static String output(CompletableFuture<String> text) throws InterruptedException {
        try {
            return text.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }

    private static String quoted(String said) {
        String line = said.strip().lines().findFirst().orElse("");
        if (line.isEmpty()) {
            return "";
        }
        return ": " + (line.length() > QUOTED_OUTPUT_CHARS ? line.substring(0, QUOTED_OUTPUT_CHARS) + "..." : line);
    }
}
