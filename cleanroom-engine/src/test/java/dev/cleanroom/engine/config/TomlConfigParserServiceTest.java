package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.ParserFixture.failure;
import static dev.cleanroom.engine.config.ParserFixture.parse;
import static dev.cleanroom.engine.config.ParserFixture.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.Key;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules for {@code [services.NAME]} tables: names, types, keys checked against the type's schema, depends_on. */
class TomlConfigParserServiceTest {

    private static final String BOX = "[services.app]\ntype = \"box\"\nimage = \"x\"\n";

    // --- keys against the schema ---------------------------------------------------------------

    @Test
    void misspelledKeyIsReportedWithTheClosestKey() {
        // Arrange
        String toml = BOX + "cuont = 3\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: services.app.cuont: unknown key for type \"box\" (did you mean `count`?)");
    }

    @Test
    void misspelledNestedKeyIsReportedWithTheClosestDottedKey() {
        // Arrange
        String toml = BOX + "auth.usr = \"me\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: services.app.auth.usr: unknown key for type \"box\" (did you mean `auth.user`?)");
    }

    @Test
    void unrelatedKeyIsReportedWithEveryAcceptedKey() {
        // Arrange
        String toml = BOX + "replicas = 3\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.replicas: unknown key for type \"box\" "
                        + "(accepted: type, plugin, depends_on, pull, reset.command, image, count, enabled, ratio, wait, command, env, auth.user, "
                        + "auth.pass)");
    }

    @Test
    void tablePrefixWrittenAsAValueIsAnUnknownKey() {
        // Arrange
        String toml = BOX + "auth = \"root\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .singleElement()
                .asString()
                .startsWith("test.clnrm.toml:4:1: services.app.auth: unknown key for type \"box\" (accepted: ");
    }

    @Test
    void missingRequiredKeyIsReportedAtTheServiceTable() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:1:1: services.app.image: missing required key for type \"box\" (add image = \"...\")");
    }

    @Test
    void requiredKeyOfTheWrongTypeIsReportedOnceAsATypeMismatch() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nimage = 5\n";

        // Act
        var problems = problems(toml);

        // Assert: the key is there, so "missing required key" would send the user looking for nothing
        assertThat(problems)
                .containsExactly("test.clnrm.toml:3:1: services.app.image: expected a string, found an "
                        + "integer 5 (quote the value: image = \"5\")");
    }

    // --- one type mismatch per Key.Kind --------------------------------------------------------

    @Test
    void integerWhereAStringIsExpectedSuggestsQuoting() {
        // Arrange
        String toml = BOX + "auth.user = 42\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.auth.user: expected a string, found "
                        + "an integer 42 (quote the value: auth.user = \"42\")");
    }

    @Test
    void stringWhereAnIntegerIsExpectedShowsTheValue() {
        // Arrange
        String toml = BOX + "count = \"3\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: services.app.count: expected an integer, found a string \"3\" (write count = 1)");
    }

    @Test
    void fractionWhereAnIntegerIsExpectedIsReported() {
        // Arrange
        String toml = BOX + "count = 1.5\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: services.app.count: expected an integer, found a number 1.5 (write count = 1)");
    }

    @Test
    void quotedBooleanIsReported() {
        // Arrange
        String toml = BOX + "enabled = \"yes\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.enabled: expected true or false, "
                        + "found a string \"yes\" (write enabled = true)");
    }

    @Test
    void stringWhereANumberIsExpectedIsReported() {
        // Arrange
        String toml = BOX + "ratio = \"high\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: services.app.ratio: expected a number, found a string \"high\" (write ratio = 1.0)");
    }

    @Test
    void integerIsAcceptedWhereANumberIsExpected() throws ConfigException {
        // Arrange
        String toml = BOX + "ratio = 3\n";

        // Act
        ServiceConfig app = parse(toml).services().get("app");

        // Assert
        assertThat(app.number("ratio")).contains(3.0);
    }

    @Test
    void unparseableDurationIsReportedWithTheAcceptedForms() {
        // Arrange
        String toml = BOX + "wait = \"soon\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.wait: expected a duration such as "
                        + "\"500ms\", \"30s\" or \"2m\", found a string \"soon\" (write e.g. wait = \"30s\")");
    }

    @Test
    void negativeDurationInSecondsIsReported() {
        // Arrange
        String toml = BOX + "wait = -5\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.wait: expected a duration such as "
                        + "\"500ms\", \"30s\" or \"2m\", found an integer -5 (write e.g. wait = \"30s\")");
    }

    @Test
    void commandWrittenAsAShellStringIsReportedWithTheArgvForm() {
        // Arrange
        String toml = BOX + "command = \"echo hi\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.command: expected a list of strings, "
                        + "found a string \"echo hi\" (write it as a list: command = [\"echo\", \"hi\"])");
    }

    @Test
    void listWithNonStringsIsReportedWithoutTrailingWhitespace() {
        // Arrange
        String toml = BOX + "command = [1, 2]\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("services.app.command");
            assertThat(p.message()).isEqualTo("expected a list of strings, found a list [ 1, 2 ]");
            assertThat(p.fix()).isEqualTo("write a list of strings, e.g. command = [\"a\", \"b\"]");
        });
    }

    @Test
    void stringWhereATableIsExpectedIsReportedWithTheDottedForm() {
        // Arrange
        String toml = BOX + "env = \"A=B\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.env: expected a table of names to "
                        + "values, found a string \"A=B\" (write one entry per line, e.g. env.NAME = \"value\")");
    }

    @Test
    void nestedTableInsideAStringMapIsReported() {
        // Arrange
        String toml = BOX + "env.A.B = \"1\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.env: expected a table of names to "
                        + "values, found a table (write one entry per line, e.g. env.NAME = \"value\")");
    }

    @Test
    void scalarsOfAnyKindAreAcceptedInAStringMapAsText() throws ConfigException {
        // Arrange
        String toml = BOX + "env = { A = 1, B = true, C = 1.5, D = \"d\" }\n";

        // Act
        ServiceConfig app = parse(toml).services().get("app");

        // Assert
        assertThat(app.stringMap("env"))
                .containsExactly(
                        java.util.Map.entry("A", "1"), java.util.Map.entry("B", "true"),
                        java.util.Map.entry("C", "1.5"), java.util.Map.entry("D", "d"));
    }

    // --- environment variables ------------------------------------------------------------------

    @Test
    void envNameWithAnEqualsSignIsRefusedBecauseItWouldSetAnotherVariable() {
        // Arrange
        String toml = BOX + "env.\"PATH=/evil:/bin X\" = \"1\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.env.\"PATH=/evil:/bin X\": the "
                        + "variable name \"PATH=/evil:/bin X\" contains '=': the container would read it as the variable "
                        + "\"PATH\" (write a name of letters, digits and '_', e.g. env.MY_SETTING = \"value\")");
    }

    @Test
    void emptyEnvNameIsRefused() {
        // Arrange
        String toml = BOX + "env = { \"\" = \"1\" }\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:9: services.app.env.\"\": the variable name is empty "
                        + "(write a name of letters, digits and '_', e.g. env.MY_SETTING = \"value\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MY VAR", "MY\\tVAR", "MY\\u001bVAR"})
    void envNameWithWhitespaceOrAControlCharacterIsRefused(String written) {
        // Arrange
        String toml = BOX + "env.\"" + written + "\" = \"1\"\n";

        // Act
        var problems = failure(toml).problems();

        // Assert
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.position().line()).isEqualTo(4);
            assertThat(p.message()).endsWith("contains a space or a control character");
            assertThat(p.fix()).isEqualTo("write a name of letters, digits and '_', e.g. env.MY_SETTING = \"value\"");
        });
    }

    @Test
    void envValueWithANulCharacterIsRefusedWithoutShowingTheValue() {
        // Arrange
        String toml = BOX + "env.DB_PASSWORD = \"hunter2\\u0000\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.env.DB_PASSWORD: the value contains a "
                        + "NUL character (\\u0000), which no program can receive (remove it from the value)");
    }

    @Test
    void ordinaryEnvNamesAreAccepted() throws ConfigException {
        // Arrange
        String toml = BOX + "env = { JAVA_OPTS = \"-Xmx1g\", \"my.setting\" = \"a=b\", lower-case = \"\" }\n";

        // Act
        ServiceConfig app = parse(toml).services().get("app");

        // Assert
        assertThat(app.stringMap("env")).containsOnlyKeys("JAVA_OPTS", "my.setting", "lower-case");
    }

    @Test
    void secretValueIsNeverShownInAProblem() {
        // Arrange
        String toml = BOX + "auth.pass = 424242\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("services.app.auth.pass");
            assertThat(p.message()).isEqualTo("expected a string, found an integer ****");
        });
    }

    @Test
    void hugeValueIsCutShortInTheMessage() {
        // Arrange
        String toml = BOX + "count = \"" + "9".repeat(100_000) + "\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message())
                        .isEqualTo("expected an integer, found a string \"" + "9".repeat(76) + "..."));
    }

    // --- type and plugin ------------------------------------------------------------------------

    @Test
    void missingTypeListsTheKnownTypes() {
        // Arrange
        String toml = "[services.app]\nimage = \"x\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:1:1: services.app.type: missing service type (add type = \"...\"; known types: box, empty)");
    }

    @Test
    void pluginIsASynonymOfType() throws ConfigException {
        // Arrange
        String toml = "[services.app]\nplugin = \"box\"\nimage = \"x\"\n";

        // Act
        ServiceConfig app = parse(toml).services().get("app");

        // Assert
        assertThat(app.type()).isEqualTo("box");
        assertThat(app.string("image")).contains("x");
    }

    @Test
    void typeAndPluginWithTheSameValueAreAccepted() throws ConfigException {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nplugin = \"box\"\nimage = \"x\"\n";

        // Act
        ServiceConfig app = parse(toml).services().get("app");

        // Assert
        assertThat(app.type()).isEqualTo("box");
    }

    @Test
    void typeAndPluginWithDifferentValuesAreReportedAtPlugin() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nplugin = \"empty\"\nimage = \"x\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:3:1: services.app.plugin: both type and plugin are set, "
                        + "to different values (keep only type)");
    }

    @Test
    void nonStringTypeIsReported() {
        // Arrange
        String toml = "[services.app]\ntype = 5\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:2:1: services.app.type: expected a string, found an "
                        + "integer (write type = \"generic_container\")");
    }

    @Test
    void misspelledTypeIsReportedWithTheClosestAndAllKnownTypes() {
        // Arrange
        String toml = "[services.app]\ntype = \"bx\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:2:1: services.app.type: unknown service type \"bx\" "
                        + "(did you mean `box`? known types: box, empty)");
    }

    @Test
    void unrelatedTypeIsReportedWithAllKnownTypes() {
        // Arrange
        String toml = "[services.app]\ntype = \"kubernetes\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:2:1: services.app.type: unknown service type "
                        + "\"kubernetes\" (known types: box, empty)");
    }

    @Test
    void unknownTypeGivenAsPluginIsReportedAtPlugin() {
        // Arrange
        String toml = "[services.app]\nplugin = \"kubernetes\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:2:1: services.app.plugin: unknown service type "
                        + "\"kubernetes\" (known types: box, empty)");
    }

    private static final Key<Long> SIZE = Key.integer("size").byDefault(1L).doc("Size");

    @Test
    void pluginValidationProblemsAreReportedWithTheParsersOwn() {
        // Arrange
        ServiceFactory factory = new ServiceFactory()
                .register(new SchemaOnlyPlugin(
                        "picky", List.of(SIZE, Key.string("name").doc("Name")), settings -> {
                            if (settings.get(SIZE) > 10) {
                                settings.problem(SIZE, "must be at most 10", "write size = 10");
                            }
                        }));
        String toml = "[services.app]\ntype = \"picky\"\nsize = 11\nname = 1\n";

        // Act
        var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(
                ConfigException.class,
                () -> new TomlConfigParser(factory).parse(ParserFixture.FILE, toml.getBytes(StandardCharsets.UTF_8)));

        // Assert
        assertThat(thrown.problems())
                .map(ConfigProblem::toString)
                .containsExactly(
                        "test.clnrm.toml:3:1: services.app.size: must be at most 10 (write size = 10)",
                        "test.clnrm.toml:4:1: services.app.name: expected a string, found an integer 1 "
                                + "(quote the value: name = \"1\")");
    }

    // --- service names --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bad name!",
                "-app",
                "_app",
                ".app",
                "app/db",
                "caf\u00e9",
                "a234567890123456789012345678901234567890123456789012345678901234"
            })
    void invalidServiceNameIsReported(String name) {
        // Arrange
        String toml = "[services.\"" + name + "\"]\ntype = \"box\"\nimage = \"x\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:1:1: services." + name + ": \"" + name + "\" is not a "
                        + "valid service name (use letters, digits, '_', '-' or '.', starting with a letter or digit, "
                        + "at most 63 characters)");
    }

    @Test
    void emptyServiceNameIsReported() {
        // Arrange
        String toml = "[services.\"\"]\ntype = \"box\"\nimage = \"x\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.position().line()).isEqualTo(1);
            assertThat(p.message()).isEqualTo("\"\" is not a valid service name");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "9",
                "app-1",
                "my_db",
                "api.v2",
                "A",
                "a23456789012345678901234567890123456789012345678901234567890123"
            })
    void validServiceNameIsAccepted(String name) throws ConfigException {
        // Arrange
        String toml = "[services.\"" + name + "\"]\ntype = \"box\"\nimage = \"x\"\n";

        // Act
        TestFile file = parse(toml);

        // Assert
        assertThat(file.serviceNames()).containsExactly(name);
    }

    @Test
    void serviceNamesDifferingOnlyInCaseAreReportedAtTheSecond() {
        // Arrange
        String toml =
                "[services.Api]\ntype = \"box\"\nimage = \"x\"\n\n[services.api]\ntype = \"box\"\nimage = \"x\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:5:1: services.api: service names \"Api\" and \"api\" "
                        + "differ only in case, but network names ignore case (rename one of them)");
    }

    // --- pull -----------------------------------------------------------------------------------

    @Test
    void pullIsAcceptedByEveryTypeWithItsThreePolicies() throws Exception {
        for (String policy : java.util.List.of("missing", "always", "never")) {
            assertThat(parse(BOX + "pull = \"" + policy + "\"\n")
                            .services()
                            .get("app")
                            .pullPolicy())
                    .map(p -> p.name().toLowerCase(java.util.Locale.ROOT))
                    .contains(policy);
        }
        assertThat(parse(BOX).services().get("app").pullPolicy()).isEmpty();
    }

    @Test
    void anUnknownPullPolicyIsReportedWithTheThreeItAccepts() {
        assertThat(problems(BOX + "pull = \"sometimes\"\n"))
                .containsExactly("test.clnrm.toml:4:1: services.app.pull: "
                        + "expected \"missing\", \"always\" or \"never\", found \"sometimes\" (write pull = \"missing\" (the "
                        + "default: pull only an image the daemon lacks), \"always\" or \"never\")");
    }

    // --- depends_on -----------------------------------------------------------------------------

    @Test
    void dependencyOnAnUnknownServiceIsReportedWithTheClosestName() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"db\"]\n\n"
                + "[services.dbb]\ntype = \"box\"\nimage = \"x\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("services.app.depends_on");
            assertThat(p.message()).isEqualTo("unknown service \"db\"");
            assertThat(p.fix()).isEqualTo("did you mean `dbb`?");
        });
    }

    @Test
    void dependencyProblemIsPositionedWhereDependsOnIsWritten() {
        // Arrange
        String toml = "[services.app]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"db\"]\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: services.app.depends_on: unknown service \"db\" (accepted: app)");
    }

    @Test
    void dependencyOnItselfIsReported() {
        // Arrange
        String toml = BOX + "depends_on = [\"app\"]\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("services.app.depends_on");
            assertThat(p.message()).isEqualTo("a service cannot depend on itself");
            assertThat(p.fix()).isEqualTo("remove \"app\"");
        });
    }

    @Test
    void dependencyCycleIsReportedOnceShowingTheWholeCycle() {
        // Arrange
        String toml = "[services.a]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"b\"]\n"
                + "[services.b]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"c\"]\n"
                + "[services.c]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"a\"]\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("services.a.depends_on");
            assertThat(p.message())
                    .isEqualTo("services depend on each other in a cycle: a -> b -> c -> a; "
                            + "a -> b at test.clnrm.toml:4 (depends_on), b -> c at test.clnrm.toml:8 (depends_on), "
                            + "c -> a at test.clnrm.toml:12 (depends_on)");
            assertThat(p.fix()).isEqualTo("remove one of these depends_on entries");
        });
    }

    @Test
    void twoServicesDependingOnEachOtherAreACycle() {
        // Arrange
        String toml = "[services.db]\ntype = \"box\"\nimage = \"x\"\n"
                + "[services.api]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"web\"]\n"
                + "[services.web]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"db\", \"api\"]\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems())
                .singleElement()
                .satisfies(
                        p -> assertThat(p.message())
                                .isEqualTo(
                                        "services depend on each other in a cycle: api -> web -> api; "
                                                + "api -> web at test.clnrm.toml:7 (depends_on), web -> api at test.clnrm.toml:11 (depends_on)"));
    }

    @Test
    void cycleThroughAPluginsImplicitDependencyIsReportedWithBothLines() {
        // Arrange: the user wrote only one direction; the needy plugin needs the other.
        String toml = "[services.app]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"chaos\"]\n"
                + "[services.chaos]\ntype = \"needy\"\nneeds = [\"app\"]\n";

        // Act
        var problems = failureWithNeedy(toml).problems().stream()
                .map(ConfigProblem::toString)
                .toList();

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: services.app.depends_on: services depend on each other "
                                + "in a cycle: app -> chaos -> app; app -> chaos at test.clnrm.toml:4 (depends_on), chaos -> app at "
                                + "test.clnrm.toml:5 (implicitly, as its plugin needs) (remove one of these depends_on entries)");
    }

    @Test
    void cycleOfImplicitDependenciesAloneIsReportedOnTheFirstService() {
        // Arrange
        String toml = "[services.left]\ntype = \"needy\"\nneeds = [\"right\"]\n"
                + "[services.right]\ntype = \"needy\"\nneeds = [\"left\"]\n";

        // Act
        var problems = failureWithNeedy(toml).problems().stream()
                .map(ConfigProblem::toString)
                .toList();

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:1:1: services.left: services depend on each other in a "
                        + "cycle: left -> right -> left; left -> right at test.clnrm.toml:1 (implicitly, as its plugin needs), "
                        + "right -> left at test.clnrm.toml:4 (implicitly, as its plugin needs) (change these services' settings "
                        + "so their plugins do not need each other)");
    }

    @Test
    void implicitDependenciesOnUnknownServicesOrItselfAreIgnoredAndTheGraphHoldsTheRest() throws ConfigException {
        // Arrange
        String toml = "[services.chaos]\ntype = \"needy\"\nneeds = [\"ghost\", \"chaos\", \"db\"]\n"
                + "[services.db]\ntype = \"box\"\nimage = \"x\"\n"
                + "[services.app]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"db\"]\n";

        // Act
        TestFile file = parseWithNeedy(toml);

        // Assert
        assertThat(file.graph().dependenciesOf("chaos")).containsExactly("db");
        assertThat(file.graph().dependentsOf("db")).containsExactly("chaos", "app");
        assertThat(file.graph().startOrder()).containsExactly("db", "chaos", "app");
    }

    private static TomlConfigParser parserWithNeedy() {
        return new TomlConfigParser(ParserFixture.factory().register(new NeedyPlugin()));
    }

    private static TestFile parseWithNeedy(String toml) throws ConfigException {
        return parserWithNeedy().parse(ParserFixture.FILE, toml.getBytes(StandardCharsets.UTF_8));
    }

    private static ConfigException failureWithNeedy(String toml) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> parseWithNeedy(toml));
        assertThat(thrown).as("what parsing threw").isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }

    @Test
    void dependencyChainWithoutACycleIsAccepted() throws ConfigException {
        // Arrange
        String toml = "[services.web]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"api\", \"db\"]\n"
                + "[services.api]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"db\"]\n"
                + "[services.db]\ntype = \"box\"\nimage = \"x\"\n";

        // Act
        TestFile file = parse(toml);

        // Assert
        assertThat(file.services().get("web").dependsOn()).containsExactly("api", "db");
        assertThat(file.services().get("api").dependsOn()).containsExactly("db");
        assertThat(file.services().get("db").dependsOn()).isEmpty();
    }

    @Test
    void dependsOnWrittenAsAStringIsReportedWithTheListForm() {
        // Arrange
        String toml = BOX + "depends_on = \"db\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.app.depends_on: expected a list of "
                        + "strings, found a string \"db\" (write it as a list: depends_on = [\"db\"])");
    }

    @Test
    void dependencyOnAServiceThatIsDeclaredButInvalidReportsOnlyTheServicesOwnProblem() {
        // Arrange
        String toml = "[services.db]\ntype = \"nosql\"\n\n"
                + "[services.app]\ntype = \"box\"\nimage = \"x\"\ndepends_on = [\"db\"]\n";

        // Act
        var problems = problems(toml);

        // Assert: "unknown service db" would be wrong, db is declared right above
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:2:1: services.db.type: unknown service type \"nosql\" (known types: box, empty)");
    }

    // --- all problems together ------------------------------------------------------------------

    @Test
    void problemsOfSeveralServicesAreReportedTogetherInFileOrder() {
        // Arrange
        String toml = "[services.one]\ntype = \"box\"\nimage = \"x\"\ncount = \"1\"\n\n"
                + "[services.two]\ntype = \"box\"\nimage = \"x\"\nenabled = 1\n\n"
                + "[services.three]\ntype = \"bx\"\n";

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly(
                        "test.clnrm.toml:4:1: services.one.count: expected an integer, found a string \"1\" (write count = 1)",
                        "test.clnrm.toml:9:1: services.two.enabled: expected true or false, found an integer 1 "
                                + "(write enabled = true)",
                        "test.clnrm.toml:12:1: services.three.type: unknown service type \"bx\" "
                                + "(did you mean `box`? known types: box, empty)");
    }

    @Test
    void everyTypeMismatchOfOneServiceIsReported() {
        // Arrange
        String toml = BOX + "count = \"3\"\nenabled = \"yes\"\nratio = \"high\"\nwait = \"soon\"\n"
                + "command = \"echo hi\"\nenv = \"A=B\"\n";

        // Act
        ConfigException e = failure(toml);

        // Assert
        assertThat(e.problems())
                .extracting(ConfigProblem::keyPath)
                .containsExactly(
                        "services.app.count",
                        "services.app.enabled",
                        "services.app.ratio",
                        "services.app.wait",
                        "services.app.command",
                        "services.app.env");
        assertThat(e.problems()).extracting(p -> p.position().line()).containsExactly(4, 5, 6, 7, 8, 9);
    }
}
