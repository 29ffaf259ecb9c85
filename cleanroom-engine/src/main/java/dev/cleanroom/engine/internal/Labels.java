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
 * {@code host/pid/process-start-millis}, so a later run can tell a live owner from a dead one
 * even when the pid was reused.
 */
public final class Labels {

    public static final String RUN = "dev.cleanroom.run";
    public static final String SERVICE = "dev.cleanroom.service";
    public static final String OWNER = "dev.cleanroom.owner";
    public static final String PROJECT = "dev.cleanroom.project";
    public static final String FILE = "dev.cleanroom.file";
    /** Present on runs a user asked to keep after the build (keepRunning): the sweep leaves them alone. */
    public static final String KEEP = "dev.cleanroom.keep";

    private Labels() {
    }

    public static Map<String, String> forRun(String runId, String project, Path file, boolean keep) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of(RUN, runId, OWNER, currentOwner(), PROJECT, project,
                FILE, file.toAbsolutePath().toString()));
        if (keep) {
            labels.put(KEEP, "true");
        }
        return Map.copyOf(labels);
    }

    /** What the sweep may remove: left by a dead owner, and not kept on purpose. */
    public static boolean isAbandoned(Map<String, String> labels) {
        return !labels.containsKey(KEEP) && isDeadOwner(labels.get(OWNER));
    }

    public static String currentOwner() {
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return hostName() + "/" + self.pid() + "/" + started;
    }

    /**
     * True only when the owner label names a process on this host that is gone (or whose pid now
     * belongs to a younger process). Owners on other hosts sharing the daemon are never "dead" to us.
     */
    public static boolean isDeadOwner(String owner) {
        String[] parts = owner == null ? new String[0] : owner.split("/");
        if (parts.length != 3 || !parts[0].equals(hostName())) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            long started = Long.parseLong(parts[2]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty()) {
                return true;
            }
            Optional<Instant> actualStart = process.get().info().startInstant();
            return actualStart.isPresent() && started != 0 && actualStart.get().toEpochMilli() != started;
        } catch (NumberFormatException e) {
            return false;
        }
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
