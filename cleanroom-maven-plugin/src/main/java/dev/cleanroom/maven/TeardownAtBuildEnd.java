package dev.cleanroom.maven;

import dev.cleanroom.engine.api.Environment;
import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.ExecutionListener;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/**
 * Removes the services {@code start} left up when the build of their project fails before
 * {@code stop} (post-integration-test never runs then), or when the build ends without a stop.
 * With {@code keepRunning} it leaves them running instead, until {@code mvn cleanroom:stop}.
 *
 * <p>Why not rely on the JVM shutdown hook: by the time it runs, Maven has closed the plugin's
 * class loader, and the Docker classes the removal needs can no longer be loaded. Maven reads
 * the request's execution listener at every event, so chaining one in from a mojo works; every
 * event is passed on to the listener that was there before.
 */
final class TeardownAtBuildEnd extends ForwardingExecutionListener {

    private final MavenProject project;
    private final BuildState state;
    private final Log log;

    private TeardownAtBuildEnd(ExecutionListener next, MavenProject project, BuildState state, Log log) {
        super(next);
        this.project = project;
        this.state = state;
        this.log = log;
    }

    static void install(MavenSession session, MavenProject project, BuildState state, Log log) {
        chainInFront(session, next -> new TeardownAtBuildEnd(next, project, state, log));
    }

    private void tearDown(String why) {
        if (state.environments.isEmpty()) {
            return;
        }
        if (state.keepRunning) {
            // Detaching also unhooks each run from JVM exit: without it, a start with no stop
            // (mvn cleanroom:start -Dcleanroom.keepRunning) would remove them as Maven exits.
            state.environments.forEach(Environment::detach);
        } else {
            log.info("Removing the services of " + project.getArtifactId() + " because " + why);
            state.environments.forEach(Environment::stop);
        }
        state.environments.clear();
    }

    private boolean ours(ExecutionEvent event) {
        return event.getProject() != null
                && event.getProject().getGroupId().equals(project.getGroupId())
                && event.getProject().getArtifactId().equals(project.getArtifactId());
    }

    @Override
    public void projectFailed(ExecutionEvent event) {
        if (ours(event)) {
            tearDown("its build failed before cleanroom:stop");
        }
        super.projectFailed(event);
    }

    @Override
    public void sessionEnded(ExecutionEvent event) {
        tearDown("the build ended without cleanroom:stop");
        super.sessionEnded(event);
    }
}
