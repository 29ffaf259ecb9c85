package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.spi.CleanroomException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        List<RunReport> reports = new ArrayList<>();
        try (CleanroomEngine engine = engineConnectingAhead(false)) {
            List<LoadedFile> files = loadAll(engine);
            for (LoadedFile testFile : files) {
                reports.add(engine.run(testFile));
            }
        } catch (CleanroomException e) {
            throw infrastructureFailure(e);
        }
        writeReports(reports);
        verdict(reports);
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
