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
 * <p>Services the reactor shares ({@code start} with {@code shared}) are left to the end of the
 * build, for the other modules. When {@code start} had nothing to start in this project (no file
 * named and no {@code src/test/cleanroom}), stop removes nothing either.
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
        if (!state.startRan) {
            try {
                engine().removeProjectContainers();
            } catch (CleanroomException e) {
                throw infrastructureFailure(e);
            }
            return;
        }
        // A second stop of this build (another execution) has nothing to remove either: it must
        // not take this project for one whose start ran in another build.
        BuildState.of(getPluginContext()).startRan = true;
        BuildState.of(getPluginContext()).stopRan = true;
        if (!state.sharedEnvironments.isEmpty()) {
            getLog().info("The shared services stay up for the other modules; they are removed when the build ends");
        }
        if (state.environments.isEmpty() && state.reports.isEmpty()) {
            if (state.stopRan) {
                getLog().info("Nothing left to stop: an earlier cleanroom:stop of this build removed it");
            } else if (state.sharedEnvironments.isEmpty()) {
                getLog().info("Nothing to stop: cleanroom:start started nothing in this project");
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
