package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.report.JUnitXmlReport;
import dev.cleanroom.engine.report.JsonSummary;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that read {@code *.clnrm.toml} files and write reports: start and run. */
abstract class AbstractFileMojo extends AbstractCleanroomMojo {

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
     * Where step results go: Surefire-style {@code TEST-cleanroom.*.xml} files and
     * {@code cleanroom-summary.json}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.reportsDirectory", defaultValue = "${project.build.directory}/cleanroom-reports")
    File reportsDirectory;

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

    /**
     * An engine that connects to Docker while the files are read; close it, so that a connection
     * no start used (a file had errors) is closed too.
     */
    CleanroomEngine engineConnectingAhead(boolean keepRunning) throws MojoExecutionException {
        return engineBuilder(keepRunning).connectAhead().build();
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
