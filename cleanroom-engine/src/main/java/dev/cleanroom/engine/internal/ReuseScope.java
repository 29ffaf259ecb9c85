package dev.cleanroom.engine.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Where one file's reused services live: one scope per project and file, named by the file's
 * path relative to the project's directory (not its absolute path, so two checkouts of one
 * project, or a CI workspace moved elsewhere, agree). The scope names the services' network and
 * lock, which outlive each run, so two builds of the same file find the same ones.
 *
 * @param key          16 hex digits of the SHA-256 of project and relative path
 * @param project      the project's coordinates
 * @param relativeFile the file's path from the project's directory, with forward slashes
 */
public record ReuseScope(String key, String project, String relativeFile) {

    public static ReuseScope of(String project, Path projectDirectory, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = projectDirectory.toAbsolutePath().normalize();
        String relative = (absolute.startsWith(base) ? base.relativize(absolute) : absolute)
                .toString()
                .replace('\\', '/');
        return new ReuseScope(sha256(project + "\n" + relative).substring(0, 16), project, relative);
    }

    /** The network every reused service of the file joins; deterministic, so aliases keep working. */
    public String networkName() {
        return "clnrm-reuse-" + key.substring(0, 12);
    }

    /** The name of the (never started) container whose existence is the lock. */
    public String lockName() {
        return "clnrm-lock-" + key;
    }

    /** The run id a reused run reports (and its containers carry): the same for every build of the file. */
    public String runId() {
        return "reuse-" + key;
    }

    /**
     * The hash of everything that defines one service: type, the parsed values of its table
     * (with depends_on, pull and reset.command), the ids of the images it runs as this daemon has
     * them, the project and the file's relative path.
     */
    public String serviceHash(String canonicalDefinition, List<String> imageIds) {
        return sha256("v1\n" + project + "\n" + relativeFile + "\n" + canonicalDefinition + "\nimages="
                        + String.join(",", imageIds))
                .substring(0, 32);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
