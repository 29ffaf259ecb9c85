package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.CleanroomException;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.config.Durations;
import dev.cleanroom.engine.config.TestFile;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Starts the services of each file, runs its steps, prints the verdict and removes everything,
 * in one go. Works outside a Maven project too:
 * {@code mvn dev.cleanroom:cleanroom-maven-plugin:run -Dfile=hello.clnrm.toml}.
 *
 * @since 0.1.0
 */
@Mojo(name = "run", requiresProject = false, threadSafe = true)
public class RunMojo extends AbstractCleanroomMojo {

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Cleanroom is skipped (cleanroom.skip)");
            return;
        }
        CleanroomEngine engine = engine();
        List<TestFile> files = loadAll(engine);
        List<RunReport> reports = new ArrayList<>();
        for (TestFile testFile : files) {
            try {
                reports.add(engine.run(testFile));
            } catch (CleanroomException e) {
                throw new MojoExecutionException(e.getMessage(), e);
            }
        }
        verdict(reports);
    }

    private void verdict(List<RunReport> reports) throws MojoFailureException {
        long passed = 0;
        long failed = 0;
        long tolerated = 0;
        long skipped = 0;
        List<String> failures = new ArrayList<>();
        for (RunReport report : reports) {
            passed += report.count(StepResult.Status.PASSED);
            failed += report.count(StepResult.Status.FAILED);
            tolerated += report.count(StepResult.Status.TOLERATED);
            skipped += report.count(StepResult.Status.SKIPPED);
            report.failures().forEach(f -> failures.add(report.file().getFileName() + ": " + f.failure()));
            getLog().info(report.file().getFileName() + ": " + report.services().size() + " service(s) started in "
                    + Durations.format(report.startDuration()) + ", steps took " + Durations.format(report.stepsDuration())
                    + ", removed in " + Durations.format(report.stopDuration()));
        }
        String summary = "Steps: " + passed + " passed, " + failed + " failed, " + tolerated + " tolerated, "
                + skipped + " skipped";
        if (failed > 0) {
            getLog().error(summary);
            throw new MojoFailureException(summary + "\n" + String.join("\n", failures));
        }
        getLog().info(summary);
    }
}
