package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.PluginInfo;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Lists the service types this build can use: the built-in ones and any custom plugin added
 * as a dependency of the Cleanroom plugin.
 *
 * @since 0.1.0
 */
@Mojo(name = "plugins", requiresProject = false, threadSafe = true)
public class PluginsMojo extends AbstractMojo {

    @Override
    public void execute() {
        getLog().info("Available Service Plugins:");
        for (PluginInfo plugin : CleanroomEngine.builder()
                .classLoader(getClass().getClassLoader())
                .build()
                .plugins()) {
            getLog().info("- " + plugin.type() + ": " + plugin.description());
        }
    }
}
