package dev.cleanroom.engine.report;

import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.api.StepResult.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Step results in the XML format Maven Surefire writes ({@code TEST-*.xml}), so Jenkins, GitLab
 * and GitHub show them like any other test. One suite per file, one test case per step. A
 * tolerated failure ({@code continue_on_failure}) is written as skipped with the failure as its
 * message: it neither passed nor failed the build.
 */
public final class JUnitXmlReport {

    private JUnitXmlReport() {}

    /**
     * Writes one {@code TEST-<suite name>.xml} per run into {@code directory}, named by
     * {@link #suiteNames}, so that no report overwrites another; returns their paths in order.
     */
    public static List<Path> writeAll(List<RunReport> reports, Path baseDirectory, Path directory) throws IOException {
        List<String> names = suiteNames(reports, baseDirectory);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            written.add(write(reports.get(i), names.get(i), directory));
        }
        return written;
    }

    /** Writes {@code TEST-cleanroom.<file name>.xml} into {@code directory}; returns its path. */
    public static Path write(RunReport report, Path directory) throws IOException {
        return write(report, suiteName(report), directory);
    }

    private static Path write(RunReport report, String suite, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve("TEST-" + suite + ".xml");
        Files.writeString(target, render(report, suite), StandardCharsets.UTF_8);
        return target;
    }

    /** {@code cleanroom.<file name without .clnrm.toml>}: the name of a run's suite when it is the only one. */
    public static String suiteName(RunReport report) {
        return "cleanroom." + safe(withoutSuffix(report.file().getFileName().toString()));
    }

    /**
     * The suite names of one build's runs, in order, all different: the short {@link #suiteName}
     * where no other run has the same, else the file's path from {@code baseDirectory} with the
     * directories joined by dots ({@code a/smoke.clnrm.toml} gives {@code cleanroom.a.smoke}), so
     * {@code a/smoke} and {@code b/smoke} each get a report. Names are compared ignoring case, as
     * macOS and Windows compare file names; the rare names still equal get {@code .2}, {@code .3}.
     */
    public static List<String> suiteNames(List<RunReport> reports, Path baseDirectory) {
        Map<String, Integer> shortNames = new HashMap<>();
        reports.forEach(r -> shortNames.merge(key(suiteName(r)), 1, Integer::sum));
        Set<String> taken = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (RunReport report : reports) {
            String name = shortNames.get(key(suiteName(report))) == 1
                    ? suiteName(report)
                    : "cleanroom." + safe(withoutSuffix(String.join(".", elements(report.file(), baseDirectory))));
            String unique = name;
            for (int n = 2; !taken.add(key(unique)); n++) {
                unique = name + "." + n;
            }
            names.add(unique);
        }
        return names;
    }

    /** The names of {@code file}'s path from {@code baseDirectory}, or from its root when it lies elsewhere. */
    private static List<String> elements(Path file, Path baseDirectory) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base =
                baseDirectory == null ? null : baseDirectory.toAbsolutePath().normalize();
        Path relative = base != null && absolute.startsWith(base)
                ? base.relativize(absolute)
                : absolute.getRoot() == null ? absolute : absolute.getRoot().relativize(absolute);
        List<String> elements = new ArrayList<>();
        relative.forEach(element -> elements.add(element.toString()));
        return elements;
    }

    private static String withoutSuffix(String fileName) {
        return fileName.replaceFirst("\\.clnrm\\.toml$", "").replaceFirst("\\.toml$", "");
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public static String render(RunReport report) {
        return render(report, suiteName(report));
    }

    private static String render(RunReport report, String suite) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuite name=\"")
                .append(attr(suite))
                .append("\" time=\"")
                .append(seconds(report.stepsDuration()))
                .append("\" tests=\"")
                .append(report.steps().size())
                .append("\" errors=\"0\" skipped=\"")
                .append(report.count(Status.SKIPPED) + report.count(Status.TOLERATED))
                .append("\" failures=\"")
                .append(report.count(Status.FAILED))
                .append("\">\n");
        xml.append("  <properties>\n");
        property(xml, "cleanroom.file", report.file().toString());
        property(xml, "cleanroom.name", report.name());
        report.services()
                .forEach(s -> property(
                        xml,
                        "cleanroom.service." + s.name(),
                        s.type() + " " + s.image() + " ready in " + seconds(s.startDuration()) + " s"));
        xml.append("  </properties>\n");
        for (StepResult step : report.steps()) {
            xml.append("  <testcase name=\"")
                    .append(attr(step.name()))
                    .append("\" classname=\"")
                    .append(attr(suite))
                    .append("\" time=\"")
                    .append(seconds(step.duration()))
                    .append("\">\n");
            switch (step.status()) {
                case FAILED ->
                    xml.append("    <failure message=\"")
                            .append(attr(firstLine(step.failure())))
                            .append("\" type=\"dev.cleanroom.StepFailure\">")
                            .append(cdata(step.failure()))
                            .append("</failure>\n");
                case TOLERATED ->
                    xml.append("    <skipped message=\"")
                            .append(attr("failure tolerated by " + "continue_on_failure: " + firstLine(step.failure())))
                            .append("\"/>\n");
                case SKIPPED ->
                    xml.append("    <skipped message=\"")
                            .append(attr(step.failure()))
                            .append("\"/>\n");
                case PASSED -> {}
            }
            // A cut is said first in the output, where a reader of a CI page looks for the missing middle.
            String out = (step.outputCut().isEmpty() ? "" : "[cleanroom] " + step.outputCut() + "\n") + step.stdout();
            if (!out.isEmpty()) {
                xml.append("    <system-out>").append(cdata(out)).append("</system-out>\n");
            }
            if (!step.stderr().isEmpty()) {
                xml.append("    <system-err>").append(cdata(step.stderr())).append("</system-err>\n");
            }
            xml.append("  </testcase>\n");
        }
        return xml.append("</testsuite>\n").toString();
    }

    private static void property(StringBuilder xml, String name, String value) {
        xml.append("    <property name=\"")
                .append(attr(name))
                .append("\" value=\"")
                .append(attr(value))
                .append("\"/>\n");
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }

    /** Escapes tab, CR and LF too: a parser normalizes them to spaces in an attribute value. */
    static String attr(String text) {
        return xmlChars(text)
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("\n", "&#10;")
                .replace("\r", "&#13;")
                .replace("\t", "&#9;");
    }

    static String cdata(String text) {
        return "<![CDATA[" + xmlChars(text).replace("]]>", "]]]]><![CDATA[>") + "]]>";
    }

    /** Drops characters XML 1.0 cannot carry at all (most control characters). */
    static String xmlChars(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints()
                .filter(c -> c == 0x9
                        || c == 0xA
                        || c == 0xD
                        || (c >= 0x20 && c <= 0xD7FF)
                        || (c >= 0xE000 && c <= 0xFFFD)
                        || (c >= 0x10000 && c <= 0x10FFFF))
                .forEach(clean::appendCodePoint);
        return clean.toString();
    }
}
