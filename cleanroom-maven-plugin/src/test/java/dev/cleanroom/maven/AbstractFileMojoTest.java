package dev.cleanroom.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
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
        for (String name : List.of("src/test/cleanroom/b.clnrm.toml", "src/test/cleanroom/a.clnrm.toml",
                "src/test/cleanroom/notes.txt", "other/c.clnrm.toml", "third/d.clnrm.toml")) {
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
        assertThat(configFiles(basedir.resolve("src/test/cleanroom").toString())).containsExactly(
                basedir.resolve("src/test/cleanroom/a.clnrm.toml"), basedir.resolve("src/test/cleanroom/b.clnrm.toml"));
    }

    @Test
    void aCommaSeparatedListMixesFilesAndDirectoriesInTheOrderGiven() throws Exception {
        // Act: spaces around the entries come from line breaks in a POM or a shell variable.
        List<Path> files = configFiles(" third/d.clnrm.toml ,src/test/cleanroom,\n other/c.clnrm.toml ");

        // Assert
        assertThat(files).containsExactly(basedir.resolve("third/d.clnrm.toml"),
                basedir.resolve("src/test/cleanroom/a.clnrm.toml"), basedir.resolve("src/test/cleanroom/b.clnrm.toml"),
                basedir.resolve("other/c.clnrm.toml"));
    }

    @Test
    void aFileNamedTwiceIsUsedOnce() throws Exception {
        // Act
        List<Path> files = configFiles("src/test/cleanroom/b.clnrm.toml,src/test/cleanroom,./other/../src/test/cleanroom");

        // Assert: started twice, its services would collide.
        assertThat(files).containsExactly(basedir.resolve("src/test/cleanroom/b.clnrm.toml"),
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
                .hasMessage("Cleanroom file " + basedir.resolve("nope.clnrm.toml") + " does not exist. Perhaps you should "
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
        assertThat(mojo.entries()).containsExactly(Path.of("relative.clnrm.toml").toAbsolutePath());
    }
}
