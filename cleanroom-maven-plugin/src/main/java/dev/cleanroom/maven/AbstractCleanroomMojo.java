package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.config.TestFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.report.JUnitXmlReport;
import dev.cleanroom.engine.report.JsonSummary;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What every goal shares: where the files are, the skip switch, and building the engine. */
abstract class AbstractCleanroomMojo extends AbstractMojo {

    static final String SUFFIX = ".clnrm.toml";

    /**
     * A {@code *.clnrm.toml} file, or a directory whose {@code *.clnrm.toml} files are all used.
     * Relative paths start at the directory Maven runs in.
     *
     * @since 0.1.0
     */
    @Parameter(property = "file", defaultValue = "${project.basedir}/src/test/cleanroom")
    File file;

    /**
     * Skips the goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.skip", defaultValue = "false")
    boolean skip;

    /**
     * Skips the goal when tests are skipped, as Failsafe does: {@code -DskipTests}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "skipTests", defaultValue = "false")
    boolean skipTests;

    /**
     * Skips the goal when integration tests are skipped, as Failsafe does: {@code -DskipITs}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "skipITs", defaultValue = "false")
    boolean skipITs;

    /**
     * Skips the goal when tests are not even compiled: {@code -Dmaven.test.skip}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    boolean skipTestCompilation;

    /**
     * Where step results go: Surefire-style {@code TEST-cleanroom.*.xml} files and
     * {@code cleanroom-summary.json}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.reportsDirectory", defaultValue = "${project.build.directory}/cleanroom-reports")
    File reportsDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    /**
     * The engine's messages are complete (what failed, the value, what to do); Maven would repeat
     * the cause chain after them, so the cause is attached only when debugging (-X).
     */
    MojoExecutionException infrastructureFailure(dev.cleanroom.engine.api.CleanroomException e) {
        return getLog().isDebugEnabled() ? new MojoExecutionException(e.getMessage(), e)
                : new MojoExecutionException(e.getMessage());
    }

    /** True (and says why) when a skip switch is set. */
    boolean skipped() {
        String why = skip ? "cleanroom.skip" : skipTests ? "skipTests" : skipITs ? "skipITs"
                : skipTestCompilation ? "maven.test.skip" : null;
        if (why != null) {
            getLog().info("Cleanroom is skipped (" + why + ")");
        }
        return why != null;
    }

    /**
     * Outside a project Maven leaves {@code ${project.build.directory}} unresolved; reports then go
     * to {@code target/cleanroom-reports} under the directory Maven runs in.
     */
    Path resolvedReportsDirectory() {
        if (reportsDirectory.getPath().contains("${")) {
            String root = session == null || session.getExecutionRootDirectory() == null ? ""
                    : session.getExecutionRootDirectory();
            return Path.of(root, "target", "cleanroom-reports");
        }
        return reportsDirectory.toPath();
    }

    /** Writes the JUnit XML of each report and the JSON summary of all. */
    void writeReports(List<RunReport> reports) throws MojoExecutionException {
        try {
            Path directory = resolvedReportsDirectory();
            for (RunReport report : reports) {
                JUnitXmlReport.write(report, directory);
            }
            JsonSummary.write(reports, directory.resolve("cleanroom-summary.json"));
            getLog().info("Reports: " + directory);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not write the Cleanroom reports to " + reportsDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /** Logs the counts; throws with every failure when a step failed. */
    void verdict(List<RunReport> reports) throws MojoFailureException {
        List<String> failures = new ArrayList<>();
        long[] counts = new long[StepResult.Status.values().length];
        for (RunReport report : reports) {
            for (StepResult.Status status : StepResult.Status.values()) {
                counts[status.ordinal()] += report.count(status);
            }
            report.failures().forEach(f -> failures.add(report.file().getFileName() + ": " + f.failure()));
        }
        String summary = "Steps: " + counts[StepResult.Status.PASSED.ordinal()] + " passed, "
                + counts[StepResult.Status.FAILED.ordinal()] + " failed, "
                + counts[StepResult.Status.TOLERATED.ordinal()] + " tolerated, "
                + counts[StepResult.Status.SKIPPED.ordinal()] + " skipped";
        if (!failures.isEmpty()) {
            getLog().error(summary);
            throw new MojoFailureException(summary + "\n" + String.join("\n", failures));
        }
        getLog().info(summary);
    }

    CleanroomEngine engine() {
        return engine(false);
    }

    CleanroomEngine engine(boolean keepRunning) {
        return CleanroomEngine.builder()
                .log(new MavenEngineLog(getLog()))
                .classLoader(getClass().getClassLoader())
                .project(projectId())
                .keepRunning(keepRunning)
                .build();
    }

    String projectId() {
        return project == null || project.getFile() == null ? "standalone"
                : project.getGroupId() + ":" + project.getArtifactId();
    }

    /** Every file to use, all parsed before anything starts, so all config errors surface at once. */
    List<TestFile> loadAll(CleanroomEngine engine) throws MojoExecutionException {
        List<TestFile> files = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path path : configFiles()) {
            try {
                files.add(engine.load(path));
            } catch (ConfigException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new MojoExecutionException(String.join("\n", errors));
        }
        return files;
    }

    List<Path> configFiles() throws MojoExecutionException {
        Path path = file.toPath();
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new MojoExecutionException("Cleanroom file " + path + " does not exist. Perhaps you should pass "
                    + "-Dfile=path/to/name" + SUFFIX + ", or put your files in src/test/cleanroom.");
        }
        try (Stream<Path> listing = Files.list(path)) {
            List<Path> found = listing.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                    .sorted().toList();
            if (found.isEmpty()) {
                throw new MojoExecutionException("No *" + SUFFIX + " file in " + path + ". Perhaps you should pass "
                        + "-Dfile=path/to/name" + SUFFIX + ".");
            }
            return found;
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot list " + path + ": " + e.getMessage(), e);
        }
    }
}
