package dev.cleanroom.maven;

import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.RunReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code start} hands to {@code run} and {@code stop} within one build of one project. It
 * lives in Maven's plugin context, which is per project, so parallel modules (-T) each have
 * their own.
 */
final class BuildState {

    private static final String KEY = BuildState.class.getName();

    final List<Environment> environments = new ArrayList<>();
    final List<RunReport> reports = new ArrayList<>();
    boolean keepRunning;

    /**
     * The services of shared files this project uses: started once for the whole reactor and
     * removed when the build ends ({@link SharedServices}), never by this project's stop.
     */
    final List<Environment> sharedEnvironments = new ArrayList<>();

    /**
     * cleanroom:start ran in this build of this project (also when it found nothing to start):
     * stop then removes only what start started, never everything labelled with the project.
     */
    boolean startRan;

    /** A cleanroom:stop of this build already removed what start started (two executions). */
    boolean stopRan;

    @SuppressWarnings({"unchecked", "rawtypes"})
    static synchronized BuildState of(Map pluginContext) {
        return (BuildState) pluginContext.computeIfAbsent(KEY, k -> new BuildState());
    }

    @SuppressWarnings("rawtypes")
    static synchronized void clear(Map pluginContext) {
        pluginContext.remove(KEY);
    }
}
