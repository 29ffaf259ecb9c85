package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.spi.CleanroomException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Runs the steps of each file and prints the verdict. On its own it starts the services, runs
 * the steps and removes everything in one go; it works outside a project too:
 * {@code mvn dev.cleanroom:cleanroom-maven-plugin:run -Dfile=hello.clnrm.toml}.
 *
 * <p>When {@code cleanroom:start} ran earlier in the same build, it runs the steps against the
 * services already up and leaves the verdict to {@code cleanroom:stop}, so that a failing step
 * does not prevent teardown.
 *
 * <p>It does not run the steps of files whose services are shared by the reactor ({@code start}
 * with {@code shared}): run on their own here, they would start a second copy of them.
 *
 * @since 0.1.0
 */
@Mojo(name = "run", defaultPhase = LifecyclePhase.INTEGRATION_TEST, requiresProject = false, threadSafe = true)
public class RunMojo extends AbstractFileMojo {

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped()) {
            return;
        }
        BuildState state = BuildState.of(getPluginContext());
        if (!state.environments.isEmpty()) {
            runAgainstStartedServices(state);
            return;
        }
        if (nothingToStart()) {
            getLog().info(nothingToStartLine("run"));
            return;
        }
        List<Path> paths = withoutSharedFiles(configFiles(), state);
        if (paths.isEmpty()) {
            getLog().info("Nothing to run: the services of these files are shared by the reactor, and cleanroom:run "
                    + "does not run the steps of shared files");
            return;
        }
        List<RunReport> reports = new ArrayList<>();
        try (CleanroomEngine engine = engineConnectingAhead(false)) {
            List<LoadedFile> files = loadAll(engine, paths);
            for (LoadedFile testFile : files) {
                reports.add(engine.run(testFile));
            }
        } catch (CleanroomException e) {
            throw infrastructureFailure(e);
        }
        writeReports(reports);
        verdict(reports);
    }

    /**
     * The files whose services this project's start did not take from the reactor: running a
     * shared file on its own here would start a second copy of services meant to exist once.
     */
    static List<Path> withoutSharedFiles(List<Path> files, BuildState state) throws MojoExecutionException {
        Set<Path> shared = new HashSet<>();
        for (Environment environment : state.sharedEnvironments) {
            shared.add(realPath(environment.file().path()));
        }
        List<Path> own = new ArrayList<>();
        for (Path file : files) {
            if (!shared.contains(realPath(file))) {
                own.add(file);
            }
        }
        return own;
    }

    private static Path realPath(Path file) throws MojoExecutionException {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot resolve " + file + ": " + e.getMessage(), e);
        }
    }

    private void runAgainstStartedServices(BuildState state) throws MojoExecutionException {
        List<RunReport> reports = new ArrayList<>();
        for (Environment environment : state.environments) {
            long begin = System.nanoTime();
            List<StepResult> steps = environment.runSteps();
            reports.add(new RunReport(
                    environment.file().path(),
                    environment.file().name(),
                    environment.services(),
                    steps,
                    environment.startDuration(),
                    Duration.ofNanos(System.nanoTime() - begin),
                    Duration.ZERO));
        }
        state.reports.addAll(reports);
        writeReports(state.reports);
        long failed = reports.stream()
                .mapToLong(r -> r.count(StepResult.Status.FAILED))
                .sum();
        if (failed > 0) {
            getLog().warn(failed + " step(s) failed; the build fails after cleanroom:stop has removed the services");
        }
    }
}
