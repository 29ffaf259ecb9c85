package dev.cleanroom.engine.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the set of processes a pid belongs to, so that a pid in an owner label is only looked
 * up where it means the same process. A host name is not enough: macOS and Windows hosts are
 * often all "localhost", and containers built from one image share their host name (when set),
 * their {@code /etc/machine-id} and small pids.
 * <ul>
 *   <li>Linux: the machine id plus the inode of {@code /proc/self/ns/pid}; two containers on one
 *   machine have different pid namespaces, two machines different machine ids.</li>
 *   <li>Elsewhere (one pid space per machine): a random id kept in
 *   {@code ~/.cleanroom/host-id}, made on first use.</li>
 * </ul>
 * Empty when neither can be read: then no owner is ever judged dead from here.
 */
final class PidNamespace {

    private static final Pattern NS_INODE = Pattern.compile("pid:\\[(\\d+)]");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9-]+");
    private static final Optional<String> CURRENT = identify();

    private PidNamespace() {}

    static Optional<String> current() {
        return CURRENT;
    }

    private static Optional<String> identify() {
        Optional<String> linux = linux();
        return linux.isPresent()
                ? linux
                : hostIdFile(Path.of(System.getProperty("user.home"), ".cleanroom", "host-id"));
    }

    private static Optional<String> linux() {
        try {
            Matcher inode = NS_INODE.matcher(
                    Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
            Optional<String> machine = firstReadable(
                    Path.of("/etc/machine-id"),
                    Path.of("/var/lib/dbus/machine-id"),
                    Path.of("/proc/sys/kernel/random/boot_id"));
            return inode.matches() && machine.isPresent()
                    ? Optional.of(machine.get() + "-pidns" + inode.group(1))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> firstReadable(Path... files) {
        for (Path file : files) {
            try {
                String id = Files.readString(file).trim();
                if (SAFE.matcher(id).matches()) {
                    return Optional.of(id);
                }
            } catch (IOException | RuntimeException e) {
                // try the next one
            }
        }
        return Optional.empty();
    }

    /** Reads the id, or writes a new one; whoever writes first wins, so concurrent builds agree. */
    static Optional<String> hostIdFile(Path file) {
        Optional<String> existing = firstReadable(file);
        if (existing.isPresent()) {
            return existing;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, UUID.randomUUID() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } catch (IOException | RuntimeException e) {
            // another build wrote it first, or the home directory is read-only: read what is there
        }
        return firstReadable(file);
    }
}
