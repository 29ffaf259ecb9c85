package dev.cleanroom.maven;

import dev.cleanroom.engine.api.PluginInfo;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Lists the service types this build can use: the built-in ones and any custom plugin added
 * as a dependency of the Cleanroom plugin.
 *
 * @since 0.1.0
 */
@Mojo(name = "plugins", requiresProject = false, threadSafe = true)
public class PluginsMojo extends AbstractCleanroomMojo {

    @Override
    public void execute() {
        List<PluginInfo> plugins = engine().plugins();
        getLog().info("Available Service Plugins:");
        for (PluginInfo plugin : plugins) {
            getLog().info("- " + plugin.type() + ": " + plugin.description());
        }
    }
}
