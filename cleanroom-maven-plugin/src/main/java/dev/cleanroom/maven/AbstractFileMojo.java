package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConsoleText;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.Reports;
import dev.cleanroom.engine.api.RunReport;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that read {@code *.clnrm.toml} files and write reports: start and run. */
abstract class AbstractFileMojo extends AbstractCleanroomMojo {

    static final String SUFFIX = ".clnrm.toml";

    /**
     * A {@code *.clnrm.toml} file, a directory whose {@code *.clnrm.toml} files are all used, or a
     * comma-separated list of files and directories ({@code -Dfile=web.clnrm.toml,more/}; spaces
     * around each entry are ignored). Relative paths start at the project's directory (where Maven
     * runs, outside a project). Every entry must exist; the goal fails, naming the missing ones,
     * before any container starts.
     *
     * <p>Unset: the project's {@code src/test/cleanroom}. A project without that directory (a
     * parent POM, a module without services) has nothing to start: start, run and stop then
     * skip with one line, as Failsafe does with no tests, so the plugin can be declared once in
     * a parent's {@code <build><plugins>}. A file that is named but missing stays an error.
     *
     * @since 0.1.0
     */
    // No defaultValue: unset must be told apart from a name the user gave, even one that equals
    // the default location (see nothingToStart).
    @Parameter(property = "file")
    String file;

    /** Where the goals look when {@link #file} is unset, from the project's directory. */
    static final String DEFAULT_LOCATION = "src/test/cleanroom";

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
            String root = session == null || session.getExecutionRootDirectory() == null
                    ? ""
                    : session.getExecutionRootDirectory();
            return Path.of(root, "target", "cleanroom-reports");
        }
        return reportsDirectory.toPath();
    }

    /**
     * Writes the JUnit XML of each report and the JSON summary of all. Files of the same name
     * (a/smoke.clnrm.toml, b/smoke.clnrm.toml) get reports named by their path from the project.
     */
    void writeReports(List<RunReport> reports) throws MojoExecutionException {
        try {
            Path directory = resolvedReportsDirectory();
            Reports.writeAll(reports, baseDirectory(), directory);
            getLog().info("Reports: " + directory);
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "Could not write the Cleanroom reports to " + reportsDirectory + ": " + e.getMessage(), e);
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
    List<LoadedFile> loadAll(CleanroomEngine engine) throws MojoExecutionException {
        return loadAll(engine, configFiles());
    }

    /** {@link #loadAll(CleanroomEngine)} of some of the files. */
    List<LoadedFile> loadAll(CleanroomEngine engine, List<Path> paths) throws MojoExecutionException {
        List<LoadedFile> files = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path path : paths) {
            try {
                files.add(engine.load(path));
            } catch (ConfigException e) {
                errors.add(ConsoleText.escape(e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new MojoExecutionException(String.join("\n", errors));
        }
        return files;
    }

    /**
     * True when the user named no file and the project has no {@value #DEFAULT_LOCATION}: the
     * goal has nothing to do in this project. Outside a project a goal is typed to do something,
     * so a missing default location stays an error there.
     */
    boolean nothingToStart() {
        return file == null && insideAProject() && !Files.exists(baseDirectory().resolve(DEFAULT_LOCATION));
    }

    /** The one line a goal logs when {@link #nothingToStart()}; {@code goal} is start, run... */
    String nothingToStartLine(String goal) {
        return "Nothing to " + goal + ": " + Path.of(DEFAULT_LOCATION) + " does not exist in "
                + project.getBasedir().getName() + " and no file is named (-Dfile or <file>)";
    }

    private boolean insideAProject() {
        return project != null && project.getFile() != null;
    }

    /** The files of every entry of {@link #file}, each once, in the order given. */
    List<Path> configFiles() throws MojoExecutionException {
        List<Path> entries = entries();
        List<Path> missing = entries.stream().filter(p -> !Files.exists(p)).toList();
        if (missing.size() == 1 && entries.size() == 1) {
            throw new MojoExecutionException("Cleanroom file " + missing.get(0) + " does not exist. Perhaps you "
                    + "should pass -Dfile=path/to/name" + SUFFIX + ", or put your files in src/test/cleanroom.");
        }
        if (!missing.isEmpty()) {
            throw new MojoExecutionException(
                    "Cleanroom file(s) " + missing.stream().map(Path::toString).collect(Collectors.joining(", "))
                            + " of -Dfile=" + file + " do not exist. Perhaps you should "
                            + "correct or remove them; -Dfile takes a comma-separated list of *" + SUFFIX
                            + " files and directories.");
        }
        Set<Path> found = new LinkedHashSet<>();
        for (Path entry : entries) {
            found.addAll(Files.isDirectory(entry) ? listing(entry) : List.of(entry));
        }
        return List.copyOf(found);
    }

    /** The entries of {@link #file}, absolute, resolved the way Maven resolves a {@code File} parameter. */
    List<Path> entries() throws MojoExecutionException {
        List<Path> entries = Stream.of(file == null ? DEFAULT_LOCATION : file)
                .flatMap(list -> Stream.of(list.split(",")))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .map(entry -> baseDirectory().resolve(entry).normalize())
                .toList();
        if (entries.isEmpty()) {
            throw new MojoExecutionException("-Dfile=" + file + " names no file. Perhaps you should pass "
                    + "-Dfile=path/to/name" + SUFFIX + ", or put your files in src/test/cleanroom.");
        }
        return entries;
    }

    private static List<Path> listing(Path directory) throws MojoExecutionException {
        try (Stream<Path> listing = Files.list(directory)) {
            List<Path> found = listing.filter(
                            p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                    .sorted()
                    .toList();
            if (found.isEmpty()) {
                throw new MojoExecutionException("No *" + SUFFIX + " file in " + directory
                        + ". Perhaps you should pass " + "-Dfile=path/to/name" + SUFFIX + ".");
            }
            return found;
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot list " + directory + ": " + e.getMessage(), e);
        }
    }
}
