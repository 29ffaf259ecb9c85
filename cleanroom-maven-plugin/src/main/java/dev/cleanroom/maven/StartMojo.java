package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConsoleText;
import dev.cleanroom.engine.api.DurationText;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.spi.CleanroomException;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

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
 * <p>With {@code shared}, or for a file that says {@code shared = true} under {@code [meta]},
 * the files are started once for the whole reactor: the
 * first module that needs one starts it, the others use the same services, and they are removed
 * when the build ends. Each module's properties file holds its own services and the shared ones.
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
     * Starts this execution's files once for the whole reactor instead of once per module: the
     * first module that needs a file (known by its canonical path, e.g.
     * {@code ${project.basedir}/../shared/db.clnrm.toml} named by several modules) starts its
     * services, the other modules wait for that start and use the same services, also with
     * {@code -T}, and they are removed once, when the build ends (whether it failed or not), not
     * by each module's stop. They are labelled with the reactor's top-level project. Each
     * module's tests get the shared services' properties with their own module's. A file can
     * ask for the same itself with {@code shared = true} under {@code [meta]}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.shared", defaultValue = "false")
    boolean shared;

    /**
     * How long a module waits for another module that is starting the services of a shared file,
     * e.g. {@code 5m} or {@code 90s}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.sharedWait", defaultValue = "5m")
    String sharedWait;

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
        if (nothingToStart()) {
            getLog().info(nothingToStartLine("start"));
            state.startRan = true;
            return;
        }
        if (shared) {
            useSharedServices(state, configFiles());
            state.startRan = true;
            export(state);
            return;
        }
        if (!state.environments.isEmpty()) {
            throw new MojoExecutionException("cleanroom:start already ran in this build for " + projectId()
                    + "; bind it once, or add cleanroom:stop between the two executions.");
        }
        try (CleanroomEngine engine = engineConnectingAhead(keepRunning)) {
            List<LoadedFile> files = loadAll(engine);
            // Files that say shared = true under [meta] first: a failure there leaves no module
            // services of this execution to clean up.
            useSharedServices(
                    state,
                    files.stream()
                            .filter(LoadedFile::shared)
                            .map(LoadedFile::path)
                            .toList());
            for (LoadedFile file : files) {
                if (!file.shared()) {
                    state.environments.add(engine.start(file));
                }
            }
        } catch (CleanroomException e) {
            state.environments.forEach(Environment::stop);
            BuildState.clear(getPluginContext());
            throw infrastructureFailure(e);
        }
        state.keepRunning = keepRunning;
        state.startRan = true;
        TeardownAtBuildEnd.install(session, project, state, getLog());
        export(state);
    }

    /** Starts these files for the whole reactor, or uses what another module started. */
    private void useSharedServices(BuildState state, List<Path> paths) throws MojoExecutionException {
        if (paths.isEmpty()) {
            return;
        }
        String wait = sharedWait == null ? "5m" : sharedWait;
        Duration parsedWait = DurationText.parse(wait)
                .orElseThrow(() -> new MojoExecutionException(
                        "cleanroom.sharedWait = \"" + wait + "\" is not a duration; write e.g. 5m, 90s or 10m"));
        Path reactorRoot = reactorRoot();
        SharedServices registry = SharedServices.of(
                session, created -> SharedServicesAtBuildEnd.install(session, created, reactorRoot, getLog()));
        for (Path path : paths) {
            SharedServices.Use use =
                    registry.startOnce(path, projectId(), keepRunning, parsedWait, () -> startForTheReactor(path));
            Environment environment = use.environment();
            Path shown = SharedServices.displayPath(path, reactorRoot);
            if (use.startedHere()) {
                getLog().info("Started the services of " + shown + " for the whole reactor (shared); "
                        + "they are removed when the build ends");
            } else {
                getLog().info("Using the shared services of " + shown + " (run "
                        + SharedServices.shortRunId(environment) + "), started by " + use.startedBy());
            }
            if (state.sharedEnvironments.stream().noneMatch(known -> known == environment)) {
                state.sharedEnvironments.add(environment);
            }
        }
    }

    private Environment startForTheReactor(Path path) throws MojoExecutionException {
        try (CleanroomEngine engine =
                engineBuilder(keepRunning).project(reactorProjectId()).build()) {
            return engine.start(engine.load(path));
        } catch (ConfigException e) {
            throw new MojoExecutionException(ConsoleText.escape(e.getMessage()));
        } catch (CleanroomException e) {
            throw infrastructureFailure(e);
        }
    }

    /** Where shared files are named from in messages: the directory Maven runs in. */
    private Path reactorRoot() {
        String root = session.getExecutionRootDirectory();
        return root == null ? baseDirectory() : Path.of(root).toAbsolutePath();
    }

    /**
     * The label of shared services: the reactor's top-level project, so that no module's
     * {@code mvn cleanroom:stop} removes them, and that of the top-level project does.
     */
    private String reactorProjectId() {
        MavenProject top = session.getTopLevelProject();
        return top == null ? projectId() : top.getGroupId() + ":" + top.getArtifactId();
    }

    private void export(BuildState state) throws MojoExecutionException {
        Map<String, String> exported = new TreeMap<>();
        Map<String, Environment> sharedKeys = new TreeMap<>();
        for (Environment environment : state.sharedEnvironments) {
            environment.exportedProperties().forEach((key, value) -> {
                exported.put(key, value);
                sharedKeys.put(key, environment);
            });
        }
        for (Environment environment : state.environments) {
            for (Map.Entry<String, String> property :
                    environment.exportedProperties().entrySet()) {
                Environment sharer = sharedKeys.get(property.getKey());
                if (sharer != null) {
                    throw new MojoExecutionException(property.getKey() + " is exported both by the shared services of "
                            + SharedServices.displayPath(sharer.file().path(), reactorRoot()) + " and by "
                            + displayPath(environment.file().path())
                            + " of " + projectId() + ". Perhaps you should rename the service in one of them.");
                }
                exported.put(property.getKey(), property.getValue());
            }
        }
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
            for (Environment environment : state.sharedEnvironments) {
                runs.setProperty(environment.file().path().toRealPath().toString(), environment.runId());
            }
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
