package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.ParserFixture.failure;
import static dev.cleanroom.engine.config.ParserFixture.parse;
import static dev.cleanroom.engine.config.ParserFixture.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules for {@code [[steps]]} entries. */
class TomlConfigParserStepTest {

    /** One service, lines 1-3; a step table written after it starts on line 4. */
    private static final String ONE_SERVICE = "[services.app]\ntype = \"box\"\nimage = \"x\"\n";

    /** Two services, lines 1-6; a step table written after them starts on line 7. */
    private static final String TWO_SERVICES =
            "[services.app]\ntype = \"box\"\nimage = \"x\"\n" + "[services.db]\ntype = \"box\"\nimage = \"x\"\n";

    @Test
    void stepWithoutNameIsReportedAtItsTable() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\ncommand = [\"true\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: steps[0].name: missing step name (add name = \"...\")");
    }

    @Test
    void nonStringStepNameIsReported() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = 5\ncommand = [\"true\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:5:1: steps[0].name: expected a string, found an integer 5 (quote the value)");
    }

    @Test
    void duplicateStepNameIsReportedAtTheSecondStep() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\n"
                + "[[steps]]\nname = \"check\"\ncommand = [\"false\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:8:1: steps[1].name: duplicate step name \"check\" "
                        + "(give every step its own name; reports are keyed by it)");
    }

    @Test
    void stepWithoutServiceInAFileWithSeveralServicesListsThem() {
        // Arrange
        String toml = TWO_SERVICES + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:8:1: steps[0] (\"check\").service: missing service: "
                        + "the file declares 2 services (add service = \"...\"; one of: app, db)");
    }

    @Test
    void stepWithoutServiceRunsInTheOnlyService() throws ConfigException {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\n";

        // Act
        TestFile file = parse(toml);

        // Assert
        assertThat(file.steps())
                .singleElement()
                .satisfies(step -> assertThat(step.service()).isEqualTo("app"));
    }

    @Test
    void stepNamingAnUnknownServiceGetsTheClosestName() {
        // Arrange
        String toml = TWO_SERVICES + "[[steps]]\nname = \"check\"\nservice = \"dbx\"\ncommand = [\"true\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:9:1: steps[0] (\"check\").service: unknown service \"dbx\" (did you mean `db`?)");
    }

    @Test
    void stepNamingAnUnrelatedServiceGetsTheAcceptedNames() {
        // Arrange
        String toml = TWO_SERVICES + "[[steps]]\nname = \"check\"\nservice = \"frontend\"\ncommand = [\"true\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:9:1: steps[0] (\"check\").service: unknown service \"frontend\" (accepted: app, db)");
    }

    @Test
    void stepNamingADeclaredButInvalidServiceReportsOnlyTheServicesOwnProblem() {
        // Arrange
        String toml =
                "[services.db]\ntype = \"nosql\"\n\n[[steps]]\nname = \"query\"\nservice = \"db\"\ncommand = [\"true\"]\n";

        // Act
        var problems = problems(toml);

        // Assert: "unknown service db" would be wrong, db is declared right above
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:2:1: services.db.type: unknown service type \"nosql\" (known types: box, empty)");
    }

    @Test
    void nonStringServiceIsReportedOnce() {
        // Arrange
        String toml = TWO_SERVICES + "[[steps]]\nname = \"check\"\nservice = 1\ncommand = [\"true\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:9:1: steps[0] (\"check\").service: expected a string, found an integer 1 (quote the value)");
    }

    @Test
    void emptyCommandIsReportedAtTheCommand() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = []\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:6:1: steps[0] (\"check\").command: missing or empty "
                        + "command (add command = [\"program\", \"arg\"]; it runs as written, not through a shell)");
    }

    @Test
    void missingCommandIsReportedAtTheStep() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: steps[0] (\"check\").command: missing or empty "
                        + "command (add command = [\"program\", \"arg\"]; it runs as written, not through a shell)");
    }

    @Test
    void commandWrittenAsAShellStringIsReportedOnceWithTheArgvForm() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = \"echo hi\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:6:1: steps[0] (\"check\").command: expected a list of "
                        + "strings, found a string \"echo hi\" (write it as a list: command = [\"echo\", \"hi\"])");
    }

    @Test
    void regexThatDoesNotCompileIsReportedWithWhereItBreaks() {
        // Arrange
        String toml =
                ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nexpected_output_regex = \"a(b\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:1: steps[0] (\"check\").expected_output_regex: invalid "
                        + "regular expression: Unclosed group near index 3 of \"a(b\" (escape special characters with \\\\ "
                        + "(in TOML, '...' strings need no escaping))");
    }

    @Test
    void hugeRegexThatDoesNotCompileIsCutShortInTheMessage() {
        // Arrange
        String regex = "(" + "a".repeat(100_000);
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nexpected_output_regex = \""
                + regex + "\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).startsWith("invalid regular expression: Unclosed group");
            assertThat(p.message().length())
                    .as("length of a message starting %s", p.message().substring(0, 120))
                    .isLessThan(300);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "256", "99999999999999", "\"0\"", "1.0"})
    void exitCodeOutsideZeroTo255IsReported(String value) {
        // Arrange
        String toml =
                ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nexpected_exit_code = " + value + "\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.position().line()).isEqualTo(7);
            assertThat(p.keyPath()).isEqualTo("steps[0] (\"check\").expected_exit_code");
            assertThat(p.message())
                    .startsWith("expected an integer from 0 to 255, found ")
                    .endsWith(" " + value);
            assertThat(p.fix()).isEqualTo("write expected_exit_code = 0");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 255})
    void exitCodeFromZeroTo255IsAccepted(int code) throws ConfigException {
        // Arrange
        String toml =
                ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nexpected_exit_code = " + code + "\n";

        // Act
        TestFile file = parse(toml);

        // Assert
        assertThat(file.steps().get(0).expectedExitCode()).isEqualTo(code);
    }

    @Test
    void unparseableTimeoutIsReported() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\ntimeout = \"forever\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:1: steps[0] (\"check\").timeout: expected a duration "
                        + "such as \"500ms\", \"30s\" or \"2m\", found a string \"forever\" (write timeout = \"30s\")");
    }

    @Test
    void timeoutOverAYearInSecondsIsReported() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\ntimeout = 99999999999\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:7:1: steps[0] (\"check\").timeout: expected a duration "
                                + "such as \"500ms\", \"30s\" or \"2m\", found an integer 99999999999 (write timeout = \"30s\")");
    }

    @Test
    void timeoutAsWholeSecondsIsAccepted() throws ConfigException {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\ntimeout = 5\n";

        // Act
        TestFile file = parse(toml);

        // Assert
        assertThat(file.steps().get(0).timeout()).contains(Duration.ofSeconds(5));
    }

    @Test
    void quotedContinueOnFailureIsReported() {
        // Arrange
        String toml =
                ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\ncontinue_on_failure = \"yes\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:1: steps[0] (\"check\").continue_on_failure: expected "
                        + "true or false, found a string \"yes\" (write continue_on_failure = true (no quotes))");
    }

    @Test
    void numericContinueOnFailureIsReported() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\ncontinue_on_failure = 1\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:1: steps[0] (\"check\").continue_on_failure: expected "
                        + "true or false, found an integer 1 (write continue_on_failure = true (no quotes))");
    }

    @Test
    void stepEnvNameWithAnEqualsSignIsRefused() {
        // Arrange
        String toml =
                ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nenv.\"LD_PRELOAD=/x.so\" = \"1\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:1: steps[0] (\"check\").env.\"LD_PRELOAD=/x.so\": the "
                        + "variable name \"LD_PRELOAD=/x.so\" contains '=': the container would read it as the variable "
                        + "\"LD_PRELOAD\" (write a name of letters, digits and '_', e.g. env.MY_SETTING = \"value\")");
    }

    @Test
    void stepEnvValueWithANulCharacterIsRefused() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nenv = { A = \"x\\u0000y\" }\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:9: steps[0] (\"check\").env.A: the value contains a "
                        + "NUL character (\\u0000), which no program can receive (remove it from the value)");
    }

    @Test
    void envWrittenAsAStringIsReported() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nenv = \"A=B\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:1: steps[0] (\"check\").env: expected a table of names "
                        + "to values, found a string (write env.NAME = \"value\")");
    }

    @Test
    void envWithANestedTableIsReported() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nenv = { A = { B = 1 } }\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:1: steps[0] (\"check\").env: expected a table of names "
                        + "to values, found a table (write env.NAME = \"value\")");
    }

    @Test
    void nonStringWorkdirIsReported() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nworkdir = 5\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:7:1: steps[0] (\"check\").workdir: expected a string, found an integer 5 (quote the value)");
    }

    @Test
    void misspelledStepKeyIsReportedWithTheClosestKey() {
        // Arrange
        String toml =
                ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nexpected_output_regx = \"ok\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:1: steps[0].expected_output_regx: unknown step key "
                        + "(did you mean `expected_output_regex`?)");
    }

    @Test
    void unrelatedStepKeyIsReportedWithTheAcceptedKeys() {
        // Arrange
        String toml = ONE_SERVICE + "[[steps]]\nname = \"check\"\ncommand = [\"true\"]\nretries = 3\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:7:1: steps[0].retries: unknown step key (accepted: name, "
                        + "service, command, expected_output_regex, expected_exit_code, timeout, continue_on_failure, env, "
                        + "workdir)");
    }

    @Test
    void everyProblemOfEveryStepIsReported() {
        // Arrange
        String toml = TWO_SERVICES
                + "[[steps]]\nname = \"a\"\ncommand = []\nservice = \"app\"\n"
                + "[[steps]]\nname = \"b\"\nservice = \"nope\"\ncommand = [\"true\"]\ntimeout = \"x\"\n"
                + "[[steps]]\ncommand = [\"true\"]\nservice = \"db\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems())
                .extracting(ConfigProblem::keyPath)
                .containsExactly(
                        "steps[0] (\"a\").command",
                        "steps[1] (\"b\").service",
                        "steps[1] (\"b\").timeout",
                        "steps[2].name");
        assertThat(e.problems()).extracting(p -> p.position().line()).containsExactly(9, 13, 15, 16);
    }

    @Test
    void stepsWrittenAsInlineTablesArePositionedOnTheirLine() {
        // Arrange
        String toml =
                "steps = [\n  { name = \"a\", command = [\"true\"] },\n  { name = \"b\", command = \"x y\" },\n]\n"
                        + ONE_SERVICE;

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.position().line()).isEqualTo(3);
            assertThat(p.keyPath()).isEqualTo("steps[1] (\"b\").command");
        });
    }
}
