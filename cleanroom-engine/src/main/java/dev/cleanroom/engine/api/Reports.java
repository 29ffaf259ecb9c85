package dev.cleanroom.engine.api;

import dev.cleanroom.engine.report.JUnitXmlReport;
import dev.cleanroom.engine.report.JsonSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files an adapter writes after a run, so that CI servers and people can read the results. */
public final class Reports {

    /** The name of the JSON summary of every run, in the reports directory. */
    public static final String SUMMARY_FILE = "cleanroom-summary.json";

    private Reports() {}

    /**
     * Writes a Surefire-style {@code TEST-cleanroom.*.xml} per report and the JSON summary of all
     * ({@value #SUMMARY_FILE}) into {@code directory}, creating it. Files of the same name in
     * different directories (a/smoke.clnrm.toml, b/smoke.clnrm.toml) get reports named by their
     * path from {@code baseDirectory}. Returns the files written.
     */
    public static List<Path> writeAll(List<RunReport> reports, Path baseDirectory, Path directory) throws IOException {
        List<Path> junitFiles = JUnitXmlReport.writeAll(reports, baseDirectory, directory);
        Path summary = JsonSummary.write(reports, directory.resolve(SUMMARY_FILE));
        return Stream.concat(junitFiles.stream(), Stream.of(summary)).toList();
    }
}
