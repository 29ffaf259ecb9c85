package dev.cleanroom.engine.internal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every container of one run shares: the run id, its network, its labels, and whether
 * the run is being torn down (after which nothing new may start).
 */
final class RunContext {

    final String runId;
    final String networkName;
    final Map<String, String> labels;
    final AtomicBoolean closing = new AtomicBoolean();

    RunContext(String runId, String networkName, Map<String, String> labels) {
        this.runId = runId;
        this.networkName = networkName;
        this.labels = Map.copyOf(labels);
    }

    String shortId() {
        return runId.substring(0, 8);
    }
}
