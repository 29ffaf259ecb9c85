package dev.cleanroom.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The labels that make every container and network of a run findable and attributable:
 * which run made it, for which service, and which process owns it. The owner is
 * {@code jvm-id/host/pid/process-start-millis/pid-namespace}: a random id per JVM, and where
 * the pid means this process ({@link PidNamespace}), so a later run can tell a live owner from a
 * dead one even when the pid was reused, and never judges an owner on another machine or in
 * another container that happens to share the host name.
 */
public final class Labels {

    public static final String RUN = "dev.cleanroom.run";
    public static final String SERVICE = "dev.cleanroom.service";
    public static final String OWNER = "dev.cleanroom.owner";
    public static final String PROJECT = "dev.cleanroom.project";
    public static final String FILE = "dev.cleanroom.file";
    /** Present on runs a user asked to keep after the build (keepRunning): the sweep leaves them alone. */
    public static final String KEEP = "dev.cleanroom.keep";
    /**
     * On a service kept for reuse across builds, and on its network: the reuse scope (project and
     * file). With {@link #SERVICE} it is the service's reuse key.
     */
    public static final String REUSE = "dev.cleanroom.reuse";
    /** On a reused service: the hash of everything that defines it; a different hash is replaced. */
    public static final String REUSE_HASH = "dev.cleanroom.reuse.hash";
    /** On a reused service: when it was created (epoch millis), for its time-to-live. */
    public static final String REUSE_CREATED = "dev.cleanroom.reuse.created";
    /** On a reuse lock container: the scope it locks. */
    public static final String LOCK = "dev.cleanroom.lock";

    private Labels() {}

    public static Map<String, String> forRun(String runId, String project, Path file, boolean keep) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of(
                RUN,
                runId,
                OWNER,
                currentOwner(),
                PROJECT,
                project,
                FILE,
                file.toAbsolutePath().toString()));
        if (keep) {
            labels.put(KEEP, "true");
        }
        return Map.copyOf(labels);
    }

    /** What the sweep may remove: left by a dead owner, and not kept on purpose. */
    public static boolean isAbandoned(Map<String, String> labels) {
        return !labels.containsKey(KEEP) && !labels.containsKey(REUSE) && isDeadOwner(labels.get(OWNER));
    }

    /**
     * Whether a service kept for reuse has outlived {@code ttl} at {@code now}: created longer ago
     * (a missing or unreadable creation time counts as expired, so nothing is kept forever).
     */
    public static boolean reuseExpired(Map<String, String> labels, java.time.Duration ttl, Instant now) {
        try {
            Instant created = Instant.ofEpochMilli(Long.parseLong(labels.getOrDefault(REUSE_CREATED, "")));
            return created.plus(ttl).isBefore(now);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** This JVM: fixed for its lifetime, so every label it writes names the same owner. */
    private static final String JVM_ID = java.util.UUID.randomUUID().toString();
    /** Written where this JVM cannot tell which pid namespace it runs in; matches nobody. */
    private static final String UNKNOWN_NAMESPACE = "unknown";

    public static String currentOwner() {
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return JVM_ID + "/" + hostName() + "/" + self.pid() + "/" + started + "/"
                + PidNamespace.current().orElse(UNKNOWN_NAMESPACE);
    }

    /**
     * True only when the owner label names a process of this host and pid namespace that is gone
     * (or whose pid now belongs to a process started at another time). Anything this JVM cannot
     * see or is unsure of is alive: owners on other hosts or in other containers sharing the
     * daemon, labels of earlier versions (host/pid/start, which cannot tell two containers with
     * one host name apart), and every owner when this JVM cannot name its own pid namespace.
     */
    public static boolean isDeadOwner(String owner) {
        String[] parts = owner == null ? new String[0] : owner.split("/", -1);
        Optional<String> namespace = PidNamespace.current();
        if (parts.length != 5
                || parts[0].equals(JVM_ID)
                || !parts[1].equals(hostName())
                || namespace.isEmpty()
                || !parts[4].equals(namespace.get())) {
            return false;
        }
        try {
            return isGone(Long.parseLong(parts[2]), Long.parseLong(parts[3]));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isGone(long pid, long started) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        Optional<Instant> actualStart = process.get().info().startInstant();
        return actualStart.isPresent() && started != 0 && actualStart.get().toEpochMilli() != started;
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }
}
