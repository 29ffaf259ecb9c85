package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.spi.CleanroomException;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Starts the services of each file and waits until they are healthy, before the integration
 * tests. Tests reach them through exported properties: {@code cleanroom.<service>.host},
 * {@code cleanroom.<service>.port} (first declared port), {@code cleanroom.<service>.port.<containerPort>}
 * and {@code cleanroom.<service>.url} where the service type has one. They are set as project
 * properties (for {@code ${cleanroom.x}} in later plugins' configuration) and written to
 * {@code target/cleanroom/cleanroom.properties}, which Failsafe 3.x is pointed at (the project
 * property {@code failsafe.systemPropertiesFile}), so it passes them to the test JVM as system
 * properties with no configuration. Everything is per project: modules built in parallel (-T)
 * each give their tests their own values.
 *
 * <p>If a service fails to start, everything already started is removed before the build fails.
 *
 * @since 0.1.0
 */
@Mojo(name = "start", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class StartMojo extends AbstractFileMojo {

    /** The expression Failsafe 3.x resolves, when it runs, for its parameter {@code systemPropertiesFile}. */
    static final String FAILSAFE_PROPERTIES_FILE = "failsafe.systemPropertiesFile";

    /**
     * Leaves the services running after the build, for debugging; {@code cleanroom:stop} then
     * only prints how to remove them, and a later {@code mvn cleanroom:stop} removes them.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.keepRunning", defaultValue = "false")
    boolean keepRunning;

    /**
     * Where the exported properties are written as a properties file.
     *
     * @since 0.1.0
     */
    @Parameter(
            property = "cleanroom.propertiesFile",
            defaultValue = "${project.build.directory}/cleanroom/cleanroom.properties")
    File propertiesFile;

    @Override
    public void execute() throws MojoExecutionException {
        if (skipped()) {
            return;
        }
        BuildState state = BuildState.of(getPluginContext());
        if (!state.environments.isEmpty()) {
            throw new MojoExecutionException("cleanroom:start already ran in this build for " + projectId()
                    + "; bind it once, or add cleanroom:stop between the two executions.");
        }
        try (CleanroomEngine engine = engineConnectingAhead(keepRunning)) {
            List<LoadedFile> files = loadAll(engine);
            for (LoadedFile file : files) {
                state.environments.add(engine.start(file));
            }
        } catch (CleanroomException e) {
            state.environments.forEach(Environment::stop);
            BuildState.clear(getPluginContext());
            throw infrastructureFailure(e);
        }
        state.keepRunning = keepRunning;
        TeardownAtBuildEnd.install(session, project, state, getLog());
        export(state);
    }

    private void export(BuildState state) throws MojoExecutionException {
        Map<String, String> exported = new TreeMap<>();
        state.environments.forEach(e -> exported.putAll(e.exportedProperties()));
        Properties file = new Properties();
        exported.forEach((key, value) -> {
            // Not session user properties: every module of a build shares them, so under -T one
            // module's tests would read another's ports (and Failsafe lets them override the file).
            project.getProperties().setProperty(key, value);
            file.setProperty(key, value);
            getLog().info("  " + key + " = " + value);
        });
        try {
            Files.createDirectories(propertiesFile.toPath().toAbsolutePath().getParent());
            try (Writer writer = Files.newBufferedWriter(propertiesFile.toPath(), StandardCharsets.UTF_8)) {
                file.store(writer, "Where the tests of " + projectId() + " reach their Cleanroom services");
            }
        } catch (IOException e) {
            throw new MojoExecutionException("Could not write " + propertiesFile + ": " + e.getMessage(), e);
        }
        writeRuns(state);
        handToFailsafe();
    }

    /** Next to the properties file: which run serves which file, by the file's real path. */
    static final String RUNS_FILE_NAME = "cleanroom-runs.properties";

    /**
     * Which run each file's services belong to, next to the properties file, so that a test run
     * later from the IDE (cleanroom-junit5) can ask whether the services a keepRunning build left
     * are still up before it uses the addresses in the properties file.
     */
    private void writeRuns(BuildState state) throws MojoExecutionException {
        Properties runs = new Properties();
        java.nio.file.Path runsFile = propertiesFile.toPath().toAbsolutePath().resolveSibling(RUNS_FILE_NAME);
        try {
            for (Environment environment : state.environments) {
                runs.setProperty(environment.file().path().toRealPath().toString(), environment.runId());
            }
            try (Writer writer = Files.newBufferedWriter(runsFile, StandardCharsets.UTF_8)) {
                runs.store(
                        writer,
                        "The Cleanroom run of each file of " + projectId() + " (keepRunning: " + keepRunning + ")");
            }
        } catch (IOException e) {
            throw new MojoExecutionException("Could not write " + runsFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Points this project's Failsafe at the properties file. Failsafe resolves
     * {@code ${failsafe.systemPropertiesFile}} when it runs, from the session's properties first,
     * then the project's; a project property is this module's alone.
     */
    private void handToFailsafe() {
        String ours = propertiesFile.getAbsolutePath();
        String theirs = session.getUserProperties()
                .getProperty(
                        FAILSAFE_PROPERTIES_FILE,
                        session.getSystemProperties()
                                .getProperty(
                                        FAILSAFE_PROPERTIES_FILE,
                                        project.getProperties().getProperty(FAILSAFE_PROPERTIES_FILE)));
        if (theirs != null && !theirs.equals(ours)) {
            getLog().warn(
                            FAILSAFE_PROPERTIES_FILE + " is already set to " + theirs + ", so Failsafe does not pass "
                                    + "the cleanroom.* properties to the tests. Perhaps you should remove that setting, or map them in "
                                    + "Failsafe's <systemPropertyVariables> (e.g. <cleanroom.web.url>${cleanroom.web.url}</cleanroom.web.url>).");
            return;
        }
        project.getProperties().setProperty(FAILSAFE_PROPERTIES_FILE, ours);
    }
}
