package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.ParserFixture.parse;
import static dev.cleanroom.engine.config.ParserFixture.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import org.junit.jupiter.api.Test;

/** Rules for the top level of a file and its {@code [meta]} table. */
class TomlConfigParserTopLevelTest {

    private static final String APP = "[services.app]\ntype = \"box\"\nimage = \"x\"\n";

    @Test
    void misspelledTopLevelTableIsReportedWithTheClosestKey() {
        // Arrange
        String toml = "[servics.app]\ntype = \"box\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:1:1: servics: unknown top-level key (did you mean `services`?)",
                        "test.clnrm.toml:1:1: services: no service is declared "
                                + "(add a [services.NAME] table with a type, e.g. type = \"generic_container\")");
    }

    @Test
    void unrelatedTopLevelKeyIsReportedWithTheAcceptedKeys() {
        // Arrange
        String toml = APP + "[database]\nurl = \"x\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: database: unknown top-level key (accepted: meta, services, steps)");
    }

    @Test
    void misspelledMetaKeyIsReportedWithTheClosestKey() {
        // Arrange
        String toml = "[meta]\nnmae = \"orders\"\n" + APP;

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems).containsExactly("test.clnrm.toml:2:1: meta.nmae: unknown key (did you mean `name`?)");
    }

    @Test
    void unrelatedMetaKeyIsReportedWithTheAcceptedKeys() {
        // Arrange
        String toml = "[meta]\nauthor = \"me\"\n" + APP;

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:2:1: meta.author: unknown key (accepted: name, description, version, reuse, shared)");
    }

    @Test
    void nonStringMetaValuesAreReportedOneEach() {
        // Arrange
        String toml = "[meta]\nname = 1\ndescription = true\nversion = 1.0\n" + APP;

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:2:1: meta.name: expected a string, found an integer (quote the value)",
                        "test.clnrm.toml:3:1: meta.description: expected a string, found a boolean (quote the value)",
                        "test.clnrm.toml:4:1: meta.version: expected a string, found a number (quote the value)");
    }

    @Test
    void metaWrittenAsAStringIsAConfigError() {
        // Arrange
        String toml = "meta = \"orders\"\n" + APP;

        // Act
        Throwable thrown = catchThrowable(() -> parse(toml));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) thrown).problems())
                .map(ConfigProblem::toString)
                .containsExactly(
                        "test.clnrm.toml:1:1: meta: expected a table, found a string (write [meta] with name = \"...\")");
    }

    @Test
    void metaWrittenAsAnArrayOfTablesIsAConfigError() {
        // Arrange
        String toml = "[[meta]]\nname = \"orders\"\n" + APP;

        // Act
        Throwable thrown = catchThrowable(() -> parse(toml));

        // Assert
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) thrown).problems())
                .map(ConfigProblem::toString)
                .containsExactly(
                        "test.clnrm.toml:1:1: meta: expected a table, found a list (write [meta] with name = \"...\")");
    }

    @Test
    void metaNameAndDescriptionNameTheTestFile() throws ConfigException {
        // Arrange
        String toml = "[meta]\nname = \"orders\"\ndescription = \"Order service\"\nversion = \"1\"\n" + APP;

        // Act
        TestFile file = parse(toml);

        // Assert
        assertThat(file.name()).isEqualTo("orders");
        assertThat(file.description()).isEqualTo("Order service");
        assertThat(file.path()).isEqualTo(ParserFixture.FILE);
    }

    @Test
    void withoutMetaTheFileStemNamesTheTestFile() throws ConfigException {
        // Arrange
        String toml = APP;

        // Act
        TestFile file = parse(toml);

        // Assert
        assertThat(file.name()).isEqualTo("test");
        assertThat(file.description()).isEmpty();
    }

    @Test
    void servicesWrittenAsAValueIsReported() {
        // Arrange
        String toml = "services = 3\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:1:1: services: expected tables [services.NAME], "
                        + "found an integer (write [services.NAME] tables)");
    }

    @Test
    void servicesWrittenAsAnArrayOfTablesIsReported() {
        // Arrange
        String toml = "[[services]]\ntype = \"box\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:1:1: services: expected tables [services.NAME], "
                        + "found a list (write [services.NAME] tables)");
    }

    @Test
    void serviceWrittenAsAValueIsReported() {
        // Arrange
        String toml = "[services]\napp = \"alpine\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:2:1: services.app: expected a table, found a string "
                        + "(write [services.app] with type = \"...\")");
    }

    @Test
    void stepsWrittenAsAValueIsReported() {
        // Arrange
        String toml = "steps = 4\n" + APP;

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:1:1: steps: expected [[steps]] tables, found an integer "
                        + "(write each step as a [[steps]] table)");
    }

    @Test
    void stepsWrittenAsAListOfStringsIsReported() {
        // Arrange
        String toml = "steps = [\"echo hi\"]\n" + APP;

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:1:1: steps: expected [[steps]] tables, found a list "
                        + "(write each step as a [[steps]] table)");
    }

    @Test
    void metaReuseIsThreeValued() throws ConfigException {
        assertThat(parse(APP).reuse()).isEmpty();
        assertThat(parse("[meta]\nreuse = true\n" + APP).reuse()).contains(true);
        assertThat(parse("[meta]\nreuse = false\n" + APP).reuse()).contains(false);
    }

    @Test
    void metaReuseWrittenAsAStringIsReported() {
        assertThat(problems("[meta]\nreuse = \"yes\"\n" + APP))
                .containsExactly("test.clnrm.toml:2:1: meta.reuse: expected true or false, found a string "
                        + "(write reuse = true (or false), without quotes)");
    }

    @Test
    void metaSharedIsReadAndOffWhenUnset() throws ConfigException {
        assertThat(parse(APP).shared()).isFalse();
        assertThat(parse("[meta]\nshared = true\n" + APP).shared()).isTrue();
        assertThat(parse("[meta]\nshared = false\n" + APP).shared()).isFalse();
    }

    @Test
    void metaSharedWrittenAsAStringIsReported() {
        assertThat(problems("[meta]\nshared = \"true\"\n" + APP))
                .containsExactly("test.clnrm.toml:2:1: meta.shared: expected true or false, found a string "
                        + "(write shared = true (or false), without quotes)");
    }

    @Test
    void resetCommandIsReadAsAnArgvList() throws ConfigException {
        TestFile file = parse(APP + "reset.command = [\"sh\", \"-c\", \"rm -rf /data/*\"]\n");
        assertThat(file.services().get("app").resetCommand()).containsExactly("sh", "-c", "rm -rf /data/*");
        assertThat(parse(APP).services().get("app").resetCommand()).isEmpty();
    }

    @Test
    void resetWithAnUnknownKeyOrAStringCommandIsReported() {
        assertThat(problems(APP + "reset.cmd = [\"x\"]\n"))
                .containsExactly("test.clnrm.toml:4:1: services.app.reset.cmd: unknown key "
                        + "(the only key under reset is command, an argv list)");
        assertThat(problems(APP + "reset.command = \"truncate\"\n")).hasSize(1);
        assertThat(problems(APP + "reset.command = \"truncate\"\n").get(0))
                .startsWith("test.clnrm.toml:4:1: services.app.reset.command: expected a list of strings");
    }

    @Test
    void theCanonicalTextOfAServiceChangesWithAnyValueAndNotWithKeyOrder() throws ConfigException {
        String one = parse("[services.app]\ntype = \"box\"\nimage = \"x\"\nenv = { A = \"1\", B = \"2\" }\n")
                .services()
                .get("app")
                .canonicalText();
        String reordered = parse("[services.app]\nenv = { B = \"2\", A = \"1\" }\ntype = \"box\"\nimage = \"x\"\n")
                .services()
                .get("app")
                .canonicalText();
        String changed = parse("[services.app]\ntype = \"box\"\nimage = \"x\"\nenv = { A = \"1\", B = \"3\" }\n")
                .services()
                .get("app")
                .canonicalText();
        assertThat(reordered).isEqualTo(one);
        assertThat(changed).isNotEqualTo(one);
    }
}
