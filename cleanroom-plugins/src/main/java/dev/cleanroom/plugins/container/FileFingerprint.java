package dev.cleanroom.plugins.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The content of a file a service reads when it starts, as a {@code reuseFingerprint}: an edit
 * to the file replaces a service kept for reuse, as an edit to its table does.
 */
public final class FileFingerprint {

    private FileFingerprint() {}

    /** {@code sha256:<hex>} of the file; empty without one; what went wrong when it cannot be read (the start says more). */
    public static String of(Optional<Path> file) {
        if (file.isEmpty()) {
            return "";
        }
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file.get())));
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
