package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.spi.CleanroomException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Pulls every image the files need, their services' own and those their plugins start (such as
 * the chaos sidecars), several at a time, with progress, and starts nothing: a CI job warms its
 * image cache in one step, then may run with {@code -Dcleanroom.pull=never}. Honours the pull
 * policy ({@code missing} pulls only what the daemon lacks and says which images are present)
 * and the registry mirror. Bound to no phase; works outside a project too:
 * {@code mvn dev.cleanroom:cleanroom-maven-plugin:pull -Dfile=ci.clnrm.toml}.
 *
 * @since 0.1.0
 */
@Mojo(name = "pull", requiresProject = false, threadSafe = true)
public class PullMojo extends AbstractFileMojo {

    @Override
    public void execute() throws MojoExecutionException {
        if (skipped()) {
            return;
        }
        try (CleanroomEngine engine = engineConnectingAhead(false)) {
            engine.pullImages(loadAll(engine));
        } catch (CleanroomException e) {
            throw infrastructureFailure(e);
        }
    }
}
