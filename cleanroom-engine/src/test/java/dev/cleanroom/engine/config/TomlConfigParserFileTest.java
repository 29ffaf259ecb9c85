package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.ParserFixture.failure;
import static dev.cleanroom.engine.config.ParserFixture.parse;
import static dev.cleanroom.engine.config.ParserFixture.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole-file rules: size, encoding, emptiness, TOML syntax, and how a ConfigException reads. */
class TomlConfigParserFileTest {

    private static final String EMPTY_FILE = "test.clnrm.toml: the file is empty (declare at least one service, "
            + "e.g. [services.app] with type = \"generic_container\" and image = \"...\")";

    @Test
    void emptyFileIsReportedAsEmptyWithoutALine() {
        // Arrange
        byte[] bytes = new byte[0];

        // Act
        ConfigException e = failure(bytes);

        // Assert
        assertThat(e.problems()).map(ConfigProblem::toString).containsExactly(EMPTY_FILE);
        assertThat(e.problems().get(0).position().line()).isZero();
        assertThat(e.problems().get(0).keyPath()).isEmpty();
    }

    @Test
    void whitespaceOnlyFileIsReportedAsEmpty() {
        // Arrange
        String toml = "  \n\t\r\n   \n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems).containsExactly(EMPTY_FILE);
    }

    @Test
    void commentOnlyFileIsReportedAsDeclaringNoService() {
        // Arrange
        String toml = "# nothing here yet\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:1:1: services: no service is declared "
                        + "(add a [services.NAME] table with a type, e.g. type = \"generic_container\")");
    }

    @Test
    void unterminatedStringIsATomlSyntaxErrorWithLineAndColumn() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nimage = \"alpine\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0))
                .startsWith("test.clnrm.toml:3:")
                .contains(": TOML syntax error: ")
                .endsWith(" (see https://toml.io for the syntax)");
    }

    @Test
    void unclosedTableHeaderIsATomlSyntaxErrorOnItsLine() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nimage = \"x\"\n\n[services.db\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).position().line()).isEqualTo(5);
        assertThat(e.problems().get(0).message()).isEqualTo("TOML syntax error: Unexpected end of line, expected ]");
    }

    @Test
    void keyWrittenTwiceIsATomlSyntaxErrorNamingTheFirstLine() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nimage = \"x\"\nimage = \"y\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: TOML syntax error: image previously defined at "
                        + "line 3, column 1 (see https://toml.io for the syntax)");
    }

    @Test
    void everySyntaxErrorOfTheFileIsReported() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nimage = \"x\"\n[services.app]\ntype = \"box\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: TOML syntax error: services.app previously defined at line 1, column 1 "
                                + "(see https://toml.io for the syntax)",
                        "test.clnrm.toml:5:1: TOML syntax error: type previously defined at line 2, column 1 "
                                + "(see https://toml.io for the syntax)");
    }

    @Test
    void integerTooLargeForTomlIsASyntaxErrorAtTheValue() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nimage = \"x\"\ncount = 99999999999999999999\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:9: TOML syntax error: Integer is too large (see https://toml.io for the syntax)");
    }

    @Test
    void latin1BytesAreReportedAsNotUtf8OnTheLineOfTheFirstBadByte() {
        // Arrange: "é" in ISO-8859-1 is the single byte 0xE9, malformed in UTF-8
        byte[] bytes = "[services.app]\ntype = \"box\"\nimage = \"caf\u00e9\"\n# \u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1);

        // Act
        ConfigException e = failure(bytes);

        // Assert
        assertThat(e.problems())
                .map(ConfigProblem::toString)
                .containsExactly("test.clnrm.toml:3: the file is not valid UTF-8 (save it as UTF-8)");
        assertThat(e.problems().get(0).position().line()).isEqualTo(3);
    }

    @Test
    void badByteAfterValidMultiByteCharactersIsLocatedOnItsOwnLine() {
        // Arrange: line 3 holds a valid "é" (C3 A9), line 4 a broken sequence (C3 28)
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("[services.app]\ntype = \"box\"\nimage = \"caf\u00e9\"\n# ".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {(byte) 0xC3, 0x28, '\n'});

        // Act
        var problems = problems(out.toByteArray());

        // Assert
        assertThat(problems).containsExactly("test.clnrm.toml:4: the file is not valid UTF-8 (save it as UTF-8)");
    }

    @Test
    void badFirstByteIsReportedOnLineOne() {
        // Arrange
        byte[] bytes = {(byte) 0xFF, (byte) 0xFE, '[', 's', ']'};

        // Act
        var problems = problems(bytes);

        // Assert
        assertThat(problems).containsExactly("test.clnrm.toml:1: the file is not valid UTF-8 (save it as UTF-8)");
    }

    @Test
    void fileOverOneMebibyteIsRefusedBeforeParsing() {
        // Arrange
        byte[] bytes = new byte[1024 * 1024 + 1];
        Arrays.fill(bytes, (byte) '#');

        // Act
        ConfigException e = failure(bytes);

        // Assert
        assertThat(e.problems())
                .map(ConfigProblem::toString)
                .containsExactly("test.clnrm.toml: the file is 1048577 "
                        + "bytes; Cleanroom reads at most 1048576 (split it into several *.clnrm.toml files)");
        assertThat(e.problems().get(0).position().line()).isZero();
    }

    @Test
    void fileOfExactlyOneMebibyteIsStillRead() {
        // Arrange: valid config padded with comment lines to exactly 1 MiB
        String head = "[services.app]\ntype = \"box\"\nimage = \"x\"\n";
        byte[] bytes = new byte[1024 * 1024];
        Arrays.fill(bytes, (byte) '\n');
        System.arraycopy(head.getBytes(StandardCharsets.UTF_8), 0, bytes, 0, head.length());

        // Act
        TestFile file = catchParse(bytes);

        // Assert
        assertThat(file.serviceNames()).containsExactly("app");
    }

    @Test
    void missingFileIsReportedWithItsPathAndNoLine(@TempDir Path dir) {
        // Arrange
        Path missing = dir.resolve("missing.clnrm.toml");

        // Act
        Throwable thrown = catchThrowable(() -> ParserFixture.parser().parse(missing));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
        ConfigProblem problem = ((ConfigException) thrown).problems().get(0);
        assertThat(problem.toString())
                .isEqualTo(missing + ": the file does not exist (check the path; relative paths " + "start at "
                        + Path.of("").toAbsolutePath() + ")");
        assertThat(problem.position().line()).isZero();
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aNamedPipeIsRefusedWithoutWaitingForAWriter(@TempDir Path dir) throws Exception {
        // Arrange: opening a FIFO for reading blocks until someone writes to it
        Path fifo = dir.resolve("pipe.clnrm.toml");
        Process mkfifo =
                new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();

        // Act
        Throwable thrown = catchThrowable(() -> ParserFixture.parser().parse(fifo));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) thrown).problems())
                .map(ConfigProblem::toString)
                .containsExactly(fifo
                        + ": the file is a named pipe (FIFO), not a regular file; Cleanroom reads only regular files "
                        + "(pass a *.clnrm.toml file)");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anEndlessDeviceIsRefusedWithoutReadingIt() {
        // Arrange: /dev/zero never ends; reading it whole exhausts the heap
        Path zero = Path.of("/dev/zero");

        // Act
        Throwable thrown = catchThrowable(() -> ParserFixture.parser().parse(zero));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) thrown).problems())
                .map(ConfigProblem::toString)
                .containsExactly(
                        "/dev/zero: the file is a character device, not a regular file; Cleanroom reads only regular files "
                                + "(pass a *.clnrm.toml file)");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSymbolicLinkToAnEndlessDeviceIsRefusedNamingItsTarget(@TempDir Path dir) throws Exception {
        // Arrange
        Path link = Files.createSymbolicLink(dir.resolve("zero.clnrm.toml"), Path.of("/dev/zero"));

        // Act
        Throwable thrown = catchThrowable(() -> ParserFixture.parser().parse(link));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) thrown).problems())
                .map(ConfigProblem::toString)
                .containsExactly(link
                        + ": the file is a symbolic link to /dev/zero, a character device, not a regular file; Cleanroom "
                        + "reads only regular files (pass a *.clnrm.toml file)");
    }

    @Test
    void aLargeFileOnDiskIsRefusedWithItsSize(@TempDir Path dir) throws Exception {
        // Arrange: 8 MiB of comments
        Path big = dir.resolve("big.clnrm.toml");
        byte[] bytes = new byte[8 * 1024 * 1024];
        Arrays.fill(bytes, (byte) '#');
        Files.write(big, bytes);

        // Act
        Throwable thrown = catchThrowable(() -> ParserFixture.parser().parse(big));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) thrown).problems())
                .map(ConfigProblem::toString)
                .containsExactly(
                        big
                                + ": the file is 8388608 bytes; Cleanroom reads at most 1048576 (split it into several *.clnrm.toml files)");
    }

    @Test
    void fileOnDiskIsParsedWithItsPathInPositions(@TempDir Path dir) throws Exception {
        // Arrange
        Path file = dir.resolve("orders.clnrm.toml");
        Files.writeString(file, "[services.app]\ntype = \"box\"\nimage = \"x\"\ncount = \"3\"\n");

        // Act
        Throwable thrown = catchThrowable(() -> ParserFixture.parser().parse(file));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) thrown).problems().get(0).toString())
                .isEqualTo(
                        file + ":4:1: services.app.count: expected an integer, found a string \"3\" (write count = 1)");
    }

    @Test
    void byteOrderMarkThatSomeEditorsWriteIsIgnored() {
        // Arrange
        String toml = "\ufeff[services.app]\ntype = \"box\"\nimage = \"x\"\n";

        // Act
        Throwable thrown = catchThrowable(() -> parse(toml));

        // Assert
        assertThat(thrown).isNull();
    }

    @Test
    void windowsLineEndingsAreAccepted() throws ConfigException {
        // Arrange
        String toml = "[services.app]\r\ntype = \"box\"\r\nimage = \"x\"\r\n";

        // Act
        TestFile file = parse(toml);

        // Assert
        assertThat(file.services().get("app").string("image")).contains("x");
    }

    @Test
    void deeplyNestedArraysAreAConfigErrorNotAStackOverflow() {
        // Arrange: a 10 KB file; tomlj's recursive descent overflows the stack on it
        String toml = "x = " + "[".repeat(5000) + "]".repeat(5000) + "\n";

        // Act
        Throwable thrown = catchThrowable(() -> parse(toml));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) thrown).problems().get(0).position().line())
                .isEqualTo(1);
    }

    @Test
    void deeplyNestedInlineTablesAreAConfigErrorNotAStackOverflow() {
        // Arrange
        String toml = "x = " + "{ a = ".repeat(3000) + "1" + " }".repeat(3000) + "\n";

        // Act
        Throwable thrown = catchThrowable(() -> parse(toml));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
    }

    @Test
    void exceptionMessageListsEveryProblemUnderACountedHeading() {
        // Arrange
        String toml = "foo = 1\n[services.app]\ntype = \"box\"\nimage = \"x\"\nenabled = \"yes\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.getMessage())
                .isEqualTo("Invalid Cleanroom configuration (2 problems):\n"
                        + "  test.clnrm.toml:1:1: foo: unknown top-level key (accepted: meta, services, steps)\n"
                        + "  test.clnrm.toml:5:1: services.app.enabled: expected true or false, found a string \"yes\" "
                        + "(write enabled = true)");
    }

    @Test
    void exceptionMessageWithOneProblemSaysOneProblem() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nimage = \"x\"\ncount = \"3\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.getMessage())
                .isEqualTo("Invalid Cleanroom configuration (1 problem):\n"
                        + "  test.clnrm.toml:4:1: services.app.count: expected an integer, found a string \"3\" "
                        + "(write count = 1)");
    }

    private static TestFile catchParse(byte[] bytes) {
        try {
            return ParserFixture.parser().parse(ParserFixture.FILE, bytes);
        } catch (ConfigException e) {
            throw new AssertionError("expected the file to parse, got:\n" + e.getMessage(), e);
        }
    }
}
