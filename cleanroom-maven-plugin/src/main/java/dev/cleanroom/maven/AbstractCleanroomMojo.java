package dev.cleanroom.maven;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConsoleText;
import dev.cleanroom.engine.api.DurationText;
import dev.cleanroom.engine.api.PullPolicy;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/** What the service goals share: the skip switches, the project, and building the engine. */
abstract class AbstractCleanroomMojo extends AbstractMojo {

    /**
     * Skips the goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.skip", defaultValue = "false")
    boolean skip;

    /**
     * Skips the goal when tests are skipped, as Failsafe does: {@code -DskipTests}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "skipTests", defaultValue = "false")
    boolean skipTests;

    /**
     * Skips the goal when integration tests are skipped, as Failsafe does: {@code -DskipITs}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "skipITs", defaultValue = "false")
    boolean skipITs;

    /**
     * Skips the goal when tests are not even compiled: {@code -Dmaven.test.skip}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    boolean skipTestCompilation;

    /**
     * How long removing the services waits for a Docker daemon that stopped answering (restarted,
     * crashed) to come back, e.g. {@code 15s} or {@code 1m}. After that the containers are left to
     * the next start's or stop's sweep, and the log says how to remove them by hand.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.daemonWait", defaultValue = "15s")
    String daemonWait;

    /**
     * The address the build reaches the services' published ports on, instead of the one Cleanroom
     * detects (127.0.0.1 on the daemon's host, the service's IP on the run's network in a container
     * of the daemon, the daemon's host for a remote daemon). Exported as each service's
     * {@code host}. Unset: the environment variable {@code CLEANROOM_HOST_ADDRESS}, else detected.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.hostAddress")
    String hostAddress;

    /**
     * The pull policy of every service, over each file's {@code pull}: {@code missing} (pull only
     * an image the daemon lacks), {@code always} (pull before each run) or {@code never} (an image
     * the daemon lacks fails the run before any container starts). Unset: each file's, else
     * {@code missing}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.pull")
    String pull;

    /**
     * A registry mirror for Docker Hub images, {@code host[:port]/prefix}: an image naming no
     * registry that the daemon lacks is taken from the mirror as {@code prefix/} + its name
     * ({@code postgres:15} becomes {@code host/prefix/postgres:15}). Unset: the environment
     * variable {@code CLEANROOM_REGISTRY_MIRROR}, else none.
     *
     * @since 0.1.0
     */
    @Parameter(property = "cleanroom.registryMirror")
    String registryMirror;

    /**
     * Keep the services running after the build for the next build to adopt (those whose
     * definition is unchanged; changed ones and their dependents are replaced). Three-valued:
     * unset leaves it to each file's {@code reuse} under {@code [meta]}, else off, and always off in
     * CI (CI, GITHUB_ACTIONS, GITLAB_CI, JENKINS_URL, ...) unless a setting says true.
     * {@code -Dcleanroom.reuse} on the command line wins over this parameter in the POM. With
     * {@code false}, {@code cleanroom:stop} removes reused services too. Data carries over between
     * builds unless a service's {@code reset.command} cleans it.
     *
     * @since 0.2.0
     */
    @Parameter(property = "cleanroom.reuse")
    Boolean reuse;

    /**
     * How long a service kept for reuse lives: sweeps remove older ones whose build is gone, and a
     * start replaces them, e.g. {@code 24h} or {@code 30m}.
     *
     * @since 0.2.0
     */
    @Parameter(property = "cleanroom.reuse.ttl", defaultValue = "24h")
    String reuseTtl;

    /**
     * How long a start waits for another build that is starting the same file's reused services
     * (it holds their lock) before it fails naming that build, e.g. {@code 5m}.
     *
     * @since 0.2.0
     */
    @Parameter(property = "cleanroom.reuse.lockWait", defaultValue = "5m")
    String reuseLockWait;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    /**
     * Decrypts settings.xml server passwords, for registry pulls ({@link RegistryLogins}). Injected
     * by Maven's container (Sisu) through JSR-330, which replaces the deprecated {@code @Component}.
     */
    @Inject
    SettingsDecrypter settingsDecrypter;

    /** Resolves docker-java when a daemon needs it ({@link DockerJavaOnDemand}); injected as above. */
    @Inject
    RepositorySystem repositorySystem;

    /**
     * The engine's messages are complete (what failed, the value, what to do); Maven would repeat
     * the cause chain after them, so the cause is attached only when debugging (-X).
     */
    MojoExecutionException infrastructureFailure(dev.cleanroom.engine.spi.CleanroomException e) {
        String message = ConsoleText.escape(e.getMessage());
        return getLog().isDebugEnabled() ? new MojoExecutionException(message, e) : new MojoExecutionException(message);
    }

    /** True (and says why) when a skip switch is set. */
    boolean skipped() {
        String why = skip
                ? "cleanroom.skip"
                : skipTests ? "skipTests" : skipITs ? "skipITs" : skipTestCompilation ? "maven.test.skip" : null;
        if (why != null) {
            getLog().info("Cleanroom is skipped (" + why + ")");
        }
        return why != null;
    }

    /** Logs the counts; throws with every failure when a step failed. */
    void verdict(List<RunReport> reports) throws MojoFailureException {
        List<String> failures = new ArrayList<>();
        long[] counts = new long[StepResult.Status.values().length];
        for (RunReport report : reports) {
            for (StepResult.Status status : StepResult.Status.values()) {
                counts[status.ordinal()] += report.count(status);
            }
            report.failures().forEach(f -> failures.add(displayPath(report.file()) + ": " + f.failure()));
        }
        String summary = "Steps: " + counts[StepResult.Status.PASSED.ordinal()] + " passed, "
                + counts[StepResult.Status.FAILED.ordinal()] + " failed, "
                + counts[StepResult.Status.TOLERATED.ordinal()] + " tolerated, "
                + counts[StepResult.Status.SKIPPED.ordinal()] + " skipped";
        if (!failures.isEmpty()) {
            getLog().error(summary);
            throw new MojoFailureException(summary + "\n" + ConsoleText.escape(String.join("\n", failures)));
        }
        getLog().info(summary);
    }

    /** Where relative paths start: the project's directory, or where Maven runs outside a project. */
    Path baseDirectory() {
        if (project != null && project.getBasedir() != null) {
            return project.getBasedir().toPath().toAbsolutePath();
        }
        if (session != null && session.getExecutionRootDirectory() != null) {
            return Path.of(session.getExecutionRootDirectory()).toAbsolutePath();
        }
        return Path.of("").toAbsolutePath();
    }

    /**
     * A file as messages name it: its path from {@link #baseDirectory()} (a/smoke.clnrm.toml), so
     * two files of the same name are told apart; the whole path when it lies elsewhere.
     */
    Path displayPath(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = baseDirectory().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute) : absolute;
    }

    CleanroomEngine engine() throws MojoExecutionException {
        return engineBuilder(false).build();
    }

    /**
     * Where docker-java carries the Docker calls (TLS, named pipes, docker contexts, or
     * -Dcleanroom.docker.client=docker-java), it logs every request and response at debug level,
     * container environments and step output included, so `mvn -X` would print passwords. Its
     * loggers stay at info unless the user asks for them by name
     * (e.g. -Dorg.slf4j.simpleLogger.log.com.github.dockerjava=debug).
     * Must run before docker-java's classes create their loggers.
     */
    static void keepDockerWireLogsQuiet() {
        String key = "org.slf4j.simpleLogger.log.com.github.dockerjava";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "info");
        }
    }

    CleanroomEngine.Builder engineBuilder(boolean keepRunning) throws MojoExecutionException {
        keepDockerWireLogsQuiet();
        String wait = daemonWait == null ? "15s" : daemonWait;
        Duration parsedWait = DurationText.parse(wait)
                .orElseThrow(() -> new MojoExecutionException(
                        "cleanroom.daemonWait = \"" + wait + "\" is not a duration; write e.g. 15s, 500ms or 1m"));
        PullPolicy policy = pull == null || pull.isBlank()
                ? null
                : PullPolicy.parse(pull)
                        .orElseThrow(() -> new MojoExecutionException("cleanroom.pull = \"" + pull
                                + "\" is not a pull policy; write missing (the " + "default), always or never"));
        Duration ttl = duration("cleanroom.reuse.ttl", reuseTtl, "24h");
        if (ttl.isZero()) {
            throw new MojoExecutionException(
                    "cleanroom.reuse.ttl = \"" + reuseTtl + "\" must be longer than 0; write e.g. 24h");
        }
        return CleanroomEngine.builder()
                .reuse(reuseSetting(), reuseSource())
                .reuseTtl(ttl)
                .reuseLockWait(duration("cleanroom.reuse.lockWait", reuseLockWait, "5m"))
                .projectDirectory(baseDirectory())
                .daemonWait(parsedWait)
                .hostAddress(hostAddress)
                .pull(policy)
                .registryMirror(registryMirror)
                .log(new MavenEngineLog(getLog()))
                .classLoader(getClass().getClassLoader())
                .project(projectId())
                .registryLogins(RegistryLogins.from(
                        session == null ? null : session.getSettings(), settingsDecrypter, getLog()))
                .dockerJava(new DockerJavaOnDemand(
                        repositorySystem,
                        session == null ? null : session.getRepositorySession(),
                        project == null ? List.of() : project.getRemotePluginRepositories(),
                        getClass().getClassLoader(),
                        getLog()))
                .keepRunning(keepRunning);
    }

    private static Duration duration(String property, String value, String fallback) throws MojoExecutionException {
        String text = value == null || value.isBlank() ? fallback : value;
        return DurationText.parse(text)
                .orElseThrow(() -> new MojoExecutionException(
                        property + " = \"" + text + "\" is not a duration; write e.g. " + fallback + ", 30m or 90s"));
    }

    /** {@code -Dcleanroom.reuse} as typed on the command line: it wins over {@code <reuse>} in the POM. */
    private String commandLineReuse() {
        return session == null || session.getUserProperties() == null
                ? null
                : session.getUserProperties().getProperty("cleanroom.reuse");
    }

    /** The build's say on reuse: the command line's, else the POM's, else null (the files and CI decide). */
    Boolean reuseSetting() throws MojoExecutionException {
        String typed = commandLineReuse();
        if (typed == null) {
            return reuse;
        }
        String value = typed.strip();
        if (value.isEmpty() || value.equalsIgnoreCase("true")) {
            return true; // -Dcleanroom.reuse alone means true, as for -Dcleanroom.keepRunning
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new MojoExecutionException(
                "-Dcleanroom.reuse=" + typed + " is neither true nor false; write -Dcleanroom.reuse=true or =false");
    }

    private String reuseSource() {
        return commandLineReuse() != null ? "-Dcleanroom.reuse" : "<reuse> in the POM";
    }

    String projectId() {
        return project == null || project.getFile() == null
                ? "standalone"
                : project.getGroupId() + ":" + project.getArtifactId();
    }
}
