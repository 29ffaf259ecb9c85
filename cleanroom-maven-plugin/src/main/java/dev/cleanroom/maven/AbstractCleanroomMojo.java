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
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
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

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    CleanroomEngine engine() {
        return CleanroomEngine.builder()
                .log(new MavenEngineLog(getLog()))
                .classLoader(getClass().getClassLoader())
                .project(projectId())
                .build();
    }

    private String projectId() {
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
