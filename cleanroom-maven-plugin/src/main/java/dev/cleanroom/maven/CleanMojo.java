package dev.cleanroom.maven;

import dev.cleanroom.engine.spi.CleanroomException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Removes the services kept for reuse across builds ({@code -Dcleanroom.reuse=true}) with their
 * networks and any reuse lock: of this project (its groupId:artifactId), or of every project on
 * the Docker daemon with {@code -Dcleanroom.clean.all=true}. Needs no Cleanroom file; other
 * containers of the project (a run in progress, a keepRunning run) are left to
 * {@code cleanroom:stop}.
 *
 * @since 0.2.0
 */
@Mojo(name = "clean", requiresProject = false, threadSafe = true)
public class CleanMojo extends AbstractCleanroomMojo {

    /**
     * Remove the reused services of every project on the daemon, not only this project's.
     *
     * @since 0.2.0
     */
    @Parameter(property = "cleanroom.clean.all", defaultValue = "false")
    boolean all;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("Cleanroom is skipped (cleanroom.skip)");
            return;
        }
        try {
            engine().removeReusedServices(all);
        } catch (CleanroomException e) {
            throw infrastructureFailure(e);
        }
    }
}
