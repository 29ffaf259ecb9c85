package dev.cleanroom.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbstractFileMojoTest {

    @TempDir
    Path basedir;

    private final RunMojo mojo = new RunMojo();

    @BeforeEach
    void aProjectInTheTemporaryDirectory() throws Exception {
        mojo.project = new MavenProject();
        mojo.project.setFile(basedir.resolve("pom.xml").toFile());
        for (String name : List.of(
                "src/test/cleanroom/b.clnrm.toml",
                "src/test/cleanroom/a.clnrm.toml",
                "src/test/cleanroom/notes.txt",
                "other/c.clnrm.toml",
                "third/d.clnrm.toml")) {
            Files.createDirectories(basedir.resolve(name).getParent());
            Files.writeString(basedir.resolve(name), "");
        }
    }

    private List<Path> configFiles(String file) throws MojoExecutionException {
        mojo.file = file;
        return mojo.configFiles();
    }

    @Test
    void oneFileIsUsedAlone() throws Exception {
        assertThat(configFiles("other/c.clnrm.toml")).containsExactly(basedir.resolve("other/c.clnrm.toml"));
    }

    @Test
    void aDirectoryGivesItsClnrmTomlFilesInNameOrder() throws Exception {
        assertThat(configFiles(basedir.resolve("src/test/cleanroom").toString()))
                .containsExactly(
                        basedir.resolve("src/test/cleanroom/a.clnrm.toml"),
                        basedir.resolve("src/test/cleanroom/b.clnrm.toml"));
    }

    @Test
    void aCommaSeparatedListMixesFilesAndDirectoriesInTheOrderGiven() throws Exception {
        // Act: spaces around the entries come from line breaks in a POM or a shell variable.
        List<Path> files = configFiles(" third/d.clnrm.toml ,src/test/cleanroom,\n other/c.clnrm.toml ");

        // Assert
        assertThat(files)
                .containsExactly(
                        basedir.resolve("third/d.clnrm.toml"),
                        basedir.resolve("src/test/cleanroom/a.clnrm.toml"),
                        basedir.resolve("src/test/cleanroom/b.clnrm.toml"),
                        basedir.resolve("other/c.clnrm.toml"));
    }

    @Test
    void aFileNamedTwiceIsUsedOnce() throws Exception {
        // Act
        List<Path> files =
                configFiles("src/test/cleanroom/b.clnrm.toml,src/test/cleanroom,./other/../src/test/cleanroom");

        // Assert: started twice, its services would collide.
        assertThat(files)
                .containsExactly(
                        basedir.resolve("src/test/cleanroom/b.clnrm.toml"),
                        basedir.resolve("src/test/cleanroom/a.clnrm.toml"));
    }

    @Test
    void emptyEntriesAreIgnored() throws Exception {
        assertThat(configFiles("other/c.clnrm.toml,,third/d.clnrm.toml,"))
                .containsExactly(basedir.resolve("other/c.clnrm.toml"), basedir.resolve("third/d.clnrm.toml"));
    }

    @Test
    void aMissingSingleFileIsNamedWithTheFix() {
        assertThatThrownBy(() -> configFiles("nope.clnrm.toml"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage(
                        "Cleanroom file " + basedir.resolve("nope.clnrm.toml") + " does not exist. Perhaps you should "
                                + "pass -Dfile=path/to/name.clnrm.toml, or put your files in src/test/cleanroom.");
    }

    @Test
    void everyMissingEntryOfAListIsNamedWithTheFix() {
        assertThatThrownBy(() -> configFiles("other/c.clnrm.toml, typo.clnrm.toml, gone/"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("Cleanroom file(s) " + basedir.resolve("typo.clnrm.toml") + ", " + basedir.resolve("gone")
                        + " of -Dfile=other/c.clnrm.toml, typo.clnrm.toml, gone/ do not exist. Perhaps you should "
                        + "correct or remove them; -Dfile takes a comma-separated list of *.clnrm.toml files and "
                        + "directories.");
    }

    @Test
    void aListOfNothingIsRefused() {
        assertThatThrownBy(() -> configFiles(" , "))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("-Dfile= ,  names no file. Perhaps you should pass -Dfile=path/to/name.clnrm.toml, "
                        + "or put your files in src/test/cleanroom.");
    }

    @Test
    void aDirectoryWithoutClnrmTomlFilesIsRefused() {
        assertThatThrownBy(() -> configFiles("other/c.clnrm.toml,src/test"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("No *.clnrm.toml file in " + basedir.resolve("src/test") + ". Perhaps you should pass "
                        + "-Dfile=path/to/name.clnrm.toml.");
    }

    @Test
    void outsideAProjectRelativePathsStartWhereMavenRuns() throws Exception {
        // Arrange
        mojo.project = null;

        // Act
        List<Path> files = configFiles(basedir.resolve("other").toString());

        // Assert
        assertThat(files).containsExactly(basedir.resolve("other/c.clnrm.toml"));
        mojo.file = "relative.clnrm.toml";
        assertThat(mojo.entries())
                .containsExactly(Path.of("relative.clnrm.toml").toAbsolutePath());
    }

    /** A module of a reactor with no src/test/cleanroom of its own, such as a parent POM. */
    private RunMojo mojoInAProjectWithoutCleanroomFiles() throws Exception {
        Path module = Files.createDirectories(basedir.resolve("module-without-files"));
        RunMojo withoutFiles = new RunMojo();
        withoutFiles.project = new MavenProject();
        withoutFiles.project.setFile(module.resolve("pom.xml").toFile());
        return withoutFiles;
    }

    @Test
    void withNoFileNamedTheProjectsSrcTestCleanroomIsUsed() throws Exception {
        // Act: no -Dfile, no <file>.
        mojo.file = null;

        // Assert
        assertThat(mojo.nothingToStart()).isFalse();
        assertThat(mojo.configFiles())
                .containsExactly(
                        basedir.resolve("src/test/cleanroom/a.clnrm.toml"),
                        basedir.resolve("src/test/cleanroom/b.clnrm.toml"));
    }

    @Test
    void aProjectWithoutSrcTestCleanroomAndNoFileNamedHasNothingToStart() throws Exception {
        // Arrange: the plugin declared in a parent's <build><plugins> runs in the parent too.
        RunMojo withoutFiles = mojoInAProjectWithoutCleanroomFiles();

        // Act + Assert
        assertThat(withoutFiles.nothingToStart()).isTrue();
        assertThat(withoutFiles.nothingToStartLine("start"))
                .isEqualTo("Nothing to start: " + Path.of("src/test/cleanroom") + " does not exist in "
                        + "module-without-files and no file is named (-Dfile or <file>)");
    }

    @Test
    void aMissingFileTheUserNamedStaysAnErrorThoughItIsTheDefaultLocation() throws Exception {
        // Arrange: named, though it is where the goals look by default.
        RunMojo withoutFiles = mojoInAProjectWithoutCleanroomFiles();
        withoutFiles.file = "src/test/cleanroom";

        // Act + Assert
        assertThat(withoutFiles.nothingToStart()).isFalse();
        assertThatThrownBy(withoutFiles::configFiles)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Cleanroom file " + basedir.resolve("module-without-files/src/test/cleanroom")
                        + " does not exist.");
    }

    @Test
    void outsideAProjectAMissingDefaultLocationIsAnError() {
        // Arrange: mvn cleanroom:run in a directory without a POM means to run something.
        mojo.project = null;
        mojo.file = null;

        // Act + Assert
        assertThat(mojo.nothingToStart()).isFalse();
        assertThatThrownBy(mojo::configFiles)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith(
                        "Cleanroom file " + Path.of("src/test/cleanroom").toAbsolutePath() + " does not exist.");
    }

    private RunReport report(String file, StepResult.Status status) {
        StepResult step = new StepResult(
                "smoke_step",
                "web",
                List.of("true"),
                status,
                status == StepResult.Status.PASSED ? 0 : 1,
                Duration.ZERO,
                "",
                "",
                status == StepResult.Status.PASSED ? "" : "Step \"smoke_step\" exited with 1, expected 0");
        return new RunReport(
                basedir.resolve(file), "smoke", List.of(), List.of(step), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    private List<String> reportNames() throws Exception {
        try (Stream<Path> listing = Files.list(basedir.resolve("target/cleanroom-reports"))) {
            return listing.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("TEST-"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void twoFilesOfTheSameNameGetOneReportEachNamedByTheirPath() throws Exception {
        // Arrange: -Dfile=a/smoke.clnrm.toml,b/smoke.clnrm.toml, where a's step fails.
        mojo.reportsDirectory = basedir.resolve("target/cleanroom-reports").toFile();
        List<RunReport> reports = List.of(
                report("a/smoke.clnrm.toml", StepResult.Status.FAILED),
                report("b/smoke.clnrm.toml", StepResult.Status.PASSED));

        // Act
        mojo.writeReports(reports);

        // Assert: one report per file, so a dashboard shows a's failure.
        assertThat(reportNames()).containsExactly("TEST-cleanroom.a.smoke.xml", "TEST-cleanroom.b.smoke.xml");
        assertThat(Files.readString(basedir.resolve("target/cleanroom-reports/TEST-cleanroom.a.smoke.xml")))
                .contains("<testsuite name=\"cleanroom.a.smoke\"")
                .contains("failures=\"1\"");
        assertThat(Files.readString(basedir.resolve("target/cleanroom-reports/TEST-cleanroom.b.smoke.xml")))
                .contains("<testsuite name=\"cleanroom.b.smoke\"")
                .contains("failures=\"0\"");
    }

    @Test
    void aFileWhoseNameIsUniqueKeepsItsShortReportName() throws Exception {
        // Arrange
        mojo.reportsDirectory = basedir.resolve("target/cleanroom-reports").toFile();

        // Act
        mojo.writeReports(List.of(
                report("src/test/cleanroom/smoke.clnrm.toml", StepResult.Status.PASSED),
                report("other/c.clnrm.toml", StepResult.Status.PASSED)));

        // Assert
        assertThat(reportNames()).containsExactly("TEST-cleanroom.c.xml", "TEST-cleanroom.smoke.xml");
    }

    @Test
    void theVerdictNamesAFailedFileByItsPathFromTheProject() {
        // Arrange
        List<RunReport> reports = List.of(
                report("a/smoke.clnrm.toml", StepResult.Status.FAILED),
                report("b/smoke.clnrm.toml", StepResult.Status.PASSED));

        // Act + Assert
        assertThatThrownBy(() -> mojo.verdict(reports))
                .isInstanceOf(MojoFailureException.class)
                .hasMessage("Steps: 1 passed, 1 failed, 0 tolerated, 0 skipped\n" + Path.of("a/smoke.clnrm.toml")
                        + ": Step \"smoke_step\" exited with 1, expected 0");
    }
}
