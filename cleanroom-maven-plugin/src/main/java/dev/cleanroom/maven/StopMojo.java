package dev.cleanroom.maven;

import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.spi.CleanroomException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Removes what {@code cleanroom:start} started in this build, then fails the build if a step
 * of {@code cleanroom:run} failed (like Failsafe's verify: the verdict never prevents teardown).
 * Run on its own ({@code mvn cleanroom:stop}), it removes every container and network labelled
 * with this project, e.g. those a {@code keepRunning} build left. Services kept for reuse across
 * builds ({@code -Dcleanroom.reuse=true}) stay running, and the log says how to remove them:
 * {@code mvn cleanroom:stop -Dcleanroom.reuse=false} or {@code mvn cleanroom:clean}.
 *
 * @since 0.1.0
 */
@Mojo(name = "stop", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, requiresProject = false, threadSafe = true)
public class StopMojo extends AbstractCleanroomMojo {

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped()) {
            return;
        }
        BuildState state = BuildState.of(getPluginContext());
        BuildState.clear(getPluginContext());
        if (state.environments.isEmpty()) {
            try {
                engine().removeProjectContainers();
            } catch (CleanroomException e) {
                throw infrastructureFailure(e);
            }
            return;
        }
        for (Environment environment : state.environments) {
            if (state.keepRunning) {
                environment.detach();
            } else {
                environment.stop();
            }
        }
        // Nothing is left for the build-end teardown to do.
        state.environments.clear();
        if (!state.reports.isEmpty()) {
            verdict(state.reports);
        }
    }
}
