package dev.cleanroom.engine.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether one file's services are kept for reuse across builds, and which source decided. The
 * setting is three-valued at each source, so an explicit false is told apart from no say. In
 * order: the build's own setting (the adapter's: {@code -Dcleanroom.reuse}, then the POM's
 * {@code <reuse>}), then the file's {@code [meta] reuse}; with none of them set, reuse is off,
 * and the message says so when a CI system is detected. Off in CI unless one of the three says
 * true: a CI job must not inherit state from an earlier job on a shared daemon by accident.
 *
 * @param enabled whether the file's services are reused
 * @param reason  which source decided, for the log
 */
public record ReuseDecision(boolean enabled, String reason) {

    /**
     * Variables CI systems set (CI=true by most; the others by the systems that do not, or as
     * well): GitHub Actions, GitLab, Jenkins, Buildkite, CircleCI, Azure Pipelines (TF_BUILD),
     * TeamCity, Travis, Bitbucket, AWS CodeBuild, Drone, AppVeyor, Bamboo.
     */
    static final List<String> CI_VARIABLES = List.of(
            "GITHUB_ACTIONS",
            "GITLAB_CI",
            "JENKINS_URL",
            "BUILDKITE",
            "CIRCLECI",
            "TF_BUILD",
            "TEAMCITY_VERSION",
            "TRAVIS",
            "BITBUCKET_BUILD_NUMBER",
            "CODEBUILD_BUILD_ID",
            "DRONE",
            "APPVEYOR",
            "bamboo_buildKey");

    /**
     * @param build       the build's setting, empty when the build says nothing
     * @param buildSource how the build said it ({@code -Dcleanroom.reuse}, {@code <reuse> in the POM})
     * @param file        the file's {@code [meta] reuse}, empty when unset
     * @param fileName    the file as messages name it
     * @param environment the process environment (System.getenv() in production)
     */
    public static ReuseDecision decide(
            Optional<Boolean> build,
            String buildSource,
            Optional<Boolean> file,
            String fileName,
            Map<String, String> environment) {
        if (build.isPresent()) {
            return new ReuseDecision(
                    build.get(), "reuse " + onOff(build.get()) + ": " + buildSource + "=" + build.get());
        }
        if (file.isPresent()) {
            return new ReuseDecision(
                    file.get(),
                    "reuse " + onOff(file.get()) + ": reuse = " + file.get() + " under [meta] of " + fileName);
        }
        Optional<String> ci = ciVariable(environment);
        return new ReuseDecision(
                false,
                ci.map(variable -> "reuse off: a CI system is detected (" + variable
                                + " is set); -Dcleanroom.reuse=true turns it on")
                        .orElse("reuse off (the default); -Dcleanroom.reuse=true turns it on"));
    }

    /** The CI variable that is set, if any: {@code CI} when it is neither empty nor false, else the first of {@link #CI_VARIABLES}. */
    static Optional<String> ciVariable(Map<String, String> environment) {
        String ci = environment.get("CI");
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0")) {
            return Optional.of("CI=" + ci);
        }
        return CI_VARIABLES.stream()
                .filter(name -> {
                    String value = environment.get(name);
                    return value != null && !value.isBlank();
                })
                .findFirst();
    }

    private static String onOff(boolean enabled) {
        return enabled ? "on" : "off";
    }
}
