package dev.cleanroom.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class JUnitXmlReportTest {

    @TempDir
    Path dir;

    private static Document parse(String xml) throws Exception {
        // A strict parser: a report that is not well-formed XML fails here, as it would in Jenkins.
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element testcase(Document document, String name) {
        NodeList cases = document.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            if (testcase.getAttribute("name").equals(name)) {
                return testcase;
            }
        }
        throw new AssertionError("no testcase " + name);
    }

    private static List<String> childNames(Element element) {
        List<String> names = new ArrayList<>();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                names.add(e.getTagName());
            }
        }
        return names;
    }

    private static Element child(Element element, String name) {
        NodeList children = element.getElementsByTagName(name);
        assertThat(children.getLength())
                .as("<%s> in <%s>", name, element.getAttribute("name"))
                .isEqualTo(1);
        return (Element) children.item(0);
    }

    @Test
    void writesTheSuiteAsSurefireDoesNamedAfterTheFile() throws Exception {
        // Arrange
        RunReport report = ReportFixture.oneStepOfEachOutcome();

        // Act
        Path written = JUnitXmlReport.write(report, dir.resolve("cleanroom-reports"));

        // Assert
        assertThat(written).isEqualTo(dir.resolve("cleanroom-reports/TEST-cleanroom.half-right.xml"));
        Element suite = parse(Files.readString(written)).getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("cleanroom.half-right");
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        // A tolerated failure neither passed nor failed the build: Surefire's nearest is skipped.
        assertThat(suite.getAttribute("skipped")).isEqualTo("2");
        assertThat(suite.getAttribute("time")).isEqualTo("1.630");
    }

    @Test
    void aPassedStepIsATestcaseWithItsOutputAndNoVerdictElement() throws Exception {
        // Act
        Document document = parse(JUnitXmlReport.render(ReportFixture.oneStepOfEachOutcome()));

        // Assert
        Element passed = testcase(document, "says_hello");
        assertThat(passed.getAttribute("classname")).isEqualTo("cleanroom.half-right");
        assertThat(passed.getAttribute("time")).isEqualTo("0.110");
        assertThat(childNames(passed)).containsExactly("system-out");
        assertThat(child(passed, "system-out").getTextContent()).isEqualTo("hello\n");
    }

    @Test
    void aFailedStepHasAFailureWithTheFirstLineAsMessageAndTheWholeTextAsBody() throws Exception {
        // Act
        Document document = parse(JUnitXmlReport.render(ReportFixture.oneStepOfEachOutcome()));

        // Assert
        Element failed = testcase(document, "greets_the_world");
        assertThat(failed.getAttribute("classname")).isEqualTo("cleanroom.half-right");
        assertThat(failed.getAttribute("time")).isEqualTo("1.500");
        assertThat(childNames(failed)).containsExactly("failure", "system-out", "system-err");
        Element failure = child(failed, "failure");
        assertThat(failure.getAttribute("message"))
                .isEqualTo("Step \"greets_the_world\" output does not match expected_output_regex /hello, world/");
        assertThat(failure.getAttribute("type")).isEqualTo("dev.cleanroom.StepFailure");
        assertThat(failure.getTextContent())
                .isEqualTo(
                        "Step \"greets_the_world\" output does not match expected_output_regex /hello, world/\noutput: goodbye");
        // Markup and a CDATA terminator in the output survive as text.
        assertThat(child(failed, "system-out").getTextContent()).isEqualTo("goodbye <cruel> \"world\"\n");
        assertThat(child(failed, "system-err").getTextContent()).isEqualTo("oops ]]> & more\n");
    }

    @Test
    void aToleratedStepIsSkippedWithItsFailureAsTheMessage() throws Exception {
        // Act
        Document document = parse(JUnitXmlReport.render(ReportFixture.oneStepOfEachOutcome()));

        // Assert
        Element tolerated = testcase(document, "may_fail");
        assertThat(tolerated.getAttribute("time")).isEqualTo("0.020");
        assertThat(childNames(tolerated)).containsExactly("skipped");
        assertThat(child(tolerated, "skipped").getAttribute("message"))
                .isEqualTo("failure tolerated by continue_on_failure: Step \"may_fail\" exited with 1, expected 0");
    }

    @Test
    void aSkippedStepIsSkippedWithTheReason() throws Exception {
        // Act
        Document document = parse(JUnitXmlReport.render(ReportFixture.oneStepOfEachOutcome()));

        // Assert
        Element skipped = testcase(document, "never_ran");
        assertThat(skipped.getAttribute("time")).isEqualTo("0.000");
        assertThat(childNames(skipped)).containsExactly("skipped");
        assertThat(child(skipped, "skipped").getAttribute("message"))
                .isEqualTo("skipped because step \"greets_the_world\" failed");
    }

    @Test
    void theSuiteNamesTheFileAndServicesAsProperties() throws Exception {
        // Act
        Document document = parse(JUnitXmlReport.render(ReportFixture.oneStepOfEachOutcome()));

        // Assert
        NodeList properties = document.getElementsByTagName("property");
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            pairs.add(property.getAttribute("name") + "=" + property.getAttribute("value"));
        }
        assertThat(pairs)
                .containsExactly(
                        "cleanroom.file=" + Path.of("src/test/cleanroom/half-right.clnrm.toml"),
                        "cleanroom.name=half right",
                        "cleanroom.service.web=generic_container cleanroom/busybox:fixture ready in 1.200 s");
    }

    @Test
    void whitespaceAndControlCharactersInAMessageStayParseable() throws Exception {
        // Arrange: tabs and carriage returns in an attribute would be normalized to spaces by
        // every XML parser unless escaped; NUL and ESC are not allowed in XML 1.0 at all.
        RunReport fixture = ReportFixture.oneStepOfEachOutcome();
        StepResult step = fixture.steps().get(3);
        RunReport report = new RunReport(
                fixture.file(),
                fixture.name(),
                fixture.services(),
                List.of(new StepResult(
                        step.name(),
                        step.service(),
                        step.command(),
                        step.status(),
                        step.exitCode(),
                        step.duration(),
                        "col\u001b[1m\u0000",
                        "",
                        "a\tb\rc")),
                fixture.startDuration(),
                fixture.stepsDuration(),
                fixture.stopDuration());

        // Act
        Document document = parse(JUnitXmlReport.render(report));

        // Assert
        Element skipped = testcase(document, "never_ran");
        assertThat(child(skipped, "skipped").getAttribute("message")).isEqualTo("a\tb\rc");
        assertThat(child(skipped, "system-out").getTextContent()).isEqualTo("col[1m");
    }

    private static RunReport at(Path file) {
        RunReport fixture = ReportFixture.oneStepOfEachOutcome();
        return new RunReport(
                file,
                fixture.name(),
                fixture.services(),
                fixture.steps(),
                fixture.startDuration(),
                fixture.stepsDuration(),
                fixture.stopDuration());
    }

    @Test
    void filesOfTheSameNameAreNamedByTheirPathFromTheBaseDirectoryAndTheOthersKeepTheirShortName() {
        // Arrange
        Path base = dir.resolve("project");
        List<RunReport> reports = List.of(
                at(base.resolve("a/smoke.clnrm.toml")),
                at(base.resolve("hello.clnrm.toml")),
                at(base.resolve("b/c/smoke.clnrm.toml")));

        // Act + Assert
        assertThat(JUnitXmlReport.suiteNames(reports, base))
                .containsExactly("cleanroom.a.smoke", "cleanroom.hello", "cleanroom.b.c.smoke");
    }

    @Test
    void namesThatDifferOnlyInCaseCountAsTheSameBecauseSomeFileSystemsDo() {
        // Arrange
        Path base = dir.resolve("project");

        // Act + Assert
        assertThat(JUnitXmlReport.suiteNames(
                        List.of(at(base.resolve("a/Smoke.clnrm.toml")), at(base.resolve("b/smoke.clnrm.toml"))), base))
                .containsExactly("cleanroom.a.Smoke", "cleanroom.b.smoke");
    }

    @Test
    void pathsThatStillGiveTheSameNameAreNumbered() {
        // Arrange: a/b.smoke shares its short name with z/b.smoke, and its path name with the
        // short name of a.b.smoke; "a b" and "a_b" share theirs (a space becomes _).
        Path base = dir.resolve("project");
        List<RunReport> reports = List.of(
                at(base.resolve("a.b.smoke.clnrm.toml")),
                at(base.resolve("a/b.smoke.clnrm.toml")),
                at(base.resolve("z/b.smoke.clnrm.toml")),
                at(base.resolve("x/a b.clnrm.toml")),
                at(base.resolve("x/a_b.clnrm.toml")));

        // Act
        List<String> names = JUnitXmlReport.suiteNames(reports, base);

        // Assert
        assertThat(names)
                .containsExactly(
                        "cleanroom.a.b.smoke",
                        "cleanroom.a.b.smoke.2",
                        "cleanroom.z.b.smoke",
                        "cleanroom.x.a_b",
                        "cleanroom.x.a_b.2");
    }

    @Test
    void aFileOutsideTheBaseDirectoryIsNamedByItsWholePath() {
        // Arrange
        Path base = dir.resolve("project");
        List<RunReport> reports =
                List.of(at(base.resolve("smoke.clnrm.toml")), at(dir.resolve("elsewhere/smoke.clnrm.toml")));

        // Act
        List<String> names = JUnitXmlReport.suiteNames(reports, base);

        // Assert
        String elsewhere = dir.getRoot()
                .relativize(dir.resolve("elsewhere/smoke"))
                .toString()
                .replace(dir.getFileSystem().getSeparator(), ".");
        assertThat(names)
                .containsExactly("cleanroom.smoke", "cleanroom." + elsewhere.replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    @Test
    void writeAllWritesOneReportPerRunUnderItsSuiteName() throws Exception {
        // Arrange
        Path base = dir.resolve("project");
        List<RunReport> reports =
                List.of(at(base.resolve("a/smoke.clnrm.toml")), at(base.resolve("b/smoke.clnrm.toml")));

        // Act
        List<Path> written = JUnitXmlReport.writeAll(reports, base, dir.resolve("reports"));

        // Assert
        assertThat(written)
                .containsExactly(
                        dir.resolve("reports/TEST-cleanroom.a.smoke.xml"),
                        dir.resolve("reports/TEST-cleanroom.b.smoke.xml"));
        assertThat(parse(Files.readString(written.get(1))).getDocumentElement().getAttribute("name"))
                .isEqualTo("cleanroom.b.smoke");
        assertThat(testcase(parse(Files.readString(written.get(1))), "says_hello")
                        .getAttribute("classname"))
                .isEqualTo("cleanroom.b.smoke");
    }

    @Test
    void aStepWhoseOutputWasCutSaysWhereInItsOutput() throws Exception {
        // Arrange
        RunReport fixture = ReportFixture.oneStepOfEachOutcome();
        String cut = "stdout was cut: kept the first 524288 and the last 524288 of 1200017 bytes";
        RunReport report = new RunReport(
                fixture.file(),
                fixture.name(),
                fixture.services(),
                List.of(new StepResult(
                        "chatty",
                        "web",
                        List.of("run-tests"),
                        StepResult.Status.PASSED,
                        0,
                        Duration.ofMillis(5),
                        "first\n[cleanroom: 151441 bytes of stdout cut here]\nALL TESTS PASSED\n",
                        "",
                        "",
                        cut)),
                fixture.startDuration(),
                fixture.stepsDuration(),
                fixture.stopDuration());

        // Act
        Document document = parse(JUnitXmlReport.render(report));

        // Assert
        assertThat(child(testcase(document, "chatty"), "system-out").getTextContent())
                .isEqualTo("[cleanroom] " + cut
                        + "\nfirst\n[cleanroom: 151441 bytes of stdout cut here]\nALL TESTS PASSED\n");
    }
}
