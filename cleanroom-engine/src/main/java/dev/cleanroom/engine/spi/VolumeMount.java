package dev.cleanroom.engine.spi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A bind mount of a host path into a container. Parsed from {@code "host:container[:ro|:rw]"}
 * with the host path relative to the TOML file's directory.
 */
public record VolumeMount(Path hostPath, String containerPath, boolean readOnly) {

    public VolumeMount {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(containerPath, "containerPath");
        if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("the container path \"" + containerPath + "\" must be absolute");
        }
    }

    public static VolumeMount parse(String text, Path baseDirectory) {
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a volume; write \"host/path:/container/path\" "
                    + "or add \":ro\" for read-only");
        }
        boolean readOnly = false;
        if (parts.length == 3) {
            if (!parts[2].equals("ro") && !parts[2].equals("rw")) {
                throw new IllegalArgumentException(
                        "volume mode \"" + parts[2] + "\" in \"" + text + "\" is neither ro nor rw");
            }
            readOnly = parts[2].equals("ro");
        }
        Path host = baseDirectory.resolve(parts[0]).normalize().toAbsolutePath();
        return new VolumeMount(host, parts[1], readOnly);
    }
}
