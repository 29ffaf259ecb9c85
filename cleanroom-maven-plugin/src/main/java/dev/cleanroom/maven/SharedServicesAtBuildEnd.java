package dev.cleanroom.maven;

import java.nio.file.Path;
import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.ExecutionListener;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.logging.Log;

/**
 * Removes the services of the shared files ({@link SharedServices}) once, when the build ends,
 * whether it succeeded or failed; with {@code keepRunning} it leaves them running instead,
 * until {@code mvn cleanroom:stop}. A module that fails does not remove them: the other modules
 * may still be testing against them.
 */
final class SharedServicesAtBuildEnd extends ForwardingExecutionListener {

    private final SharedServices shared;
    private final Path reactorRoot;
    private final Log log;

    private SharedServicesAtBuildEnd(ExecutionListener next, SharedServices shared, Path reactorRoot, Log log) {
        super(next);
        this.shared = shared;
        this.reactorRoot = reactorRoot;
        this.log = log;
    }

    static void install(MavenSession session, SharedServices shared, Path reactorRoot, Log log) {
        chainInFront(session, next -> new SharedServicesAtBuildEnd(next, shared, reactorRoot, log));
    }

    @Override
    public void sessionEnded(ExecutionEvent event) {
        for (SharedServices.Started started : shared.closeAndList()) {
            if (started.keepRunning()) {
                started.environment().detach();
            } else {
                log.info("Removing the shared services of " + SharedServices.displayPath(started.file(), reactorRoot)
                        + " (run " + SharedServices.shortRunId(started.environment()) + ") at the end of the build");
                started.environment().stop();
            }
        }
        super.sessionEnded(event);
    }
}
