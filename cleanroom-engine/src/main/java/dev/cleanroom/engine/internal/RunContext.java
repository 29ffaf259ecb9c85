package dev.cleanroom.engine.internal;

import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every container of one run shares: the run id, its network, its labels, and whether
 * the run is being torn down (after which nothing new may start).
 */
final class RunContext {

    final String runId;
    final String networkName;
    final Map<String, String> labels;
    final java.util.Set<String> serviceNames;
    final AtomicBoolean closing = new AtomicBoolean();
    /** What messages and thread names call the run: the first 8 characters of its id, or of its reuse scope. */
    private final String shortId;
    /** Containers are named {@code PREFIX-SERVICE}, the second and later of one service {@code PREFIX-SERVICE-N}. */
    final String containerPrefix;

    RunContext(String runId, String networkName, Map<String, String> labels, java.util.Set<String> serviceNames) {
        this(runId, runId.substring(0, 8), "clnrm-" + runId.substring(0, 8), networkName, labels, serviceNames);
    }

    RunContext(
            String runId,
            String shortId,
            String containerPrefix,
            String networkName,
            Map<String, String> labels,
            java.util.Set<String> serviceNames) {
        this.runId = runId;
        this.shortId = shortId;
        this.containerPrefix = containerPrefix;
        this.networkName = networkName;
        this.labels = Map.copyOf(labels);
        this.serviceNames = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(serviceNames));
    }

    String shortId() {
        return shortId;
    }

    /**
     * Daemon threads named {@code cleanroom-JOB-RUN-N}: a thread dump shows which run and which
     * job, and none of them keeps the JVM alive.
     */
    ThreadFactory threads(String job) {
        String prefix = "cleanroom-" + job + "-" + shortId();
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
