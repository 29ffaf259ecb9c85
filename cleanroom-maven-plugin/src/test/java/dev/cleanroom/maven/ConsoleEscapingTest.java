package dev.cleanroom.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.StepResult;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.junit.jupiter.api.Test;

/**
 * What Cleanroom prints reaches a terminal: a container's ESC or CR bytes must not move the
 * cursor, recolour or retitle it, or overwrite earlier lines, so they are shown escaped.
 */
class ConsoleEscapingTest {

    private final List<String> printed = new CopyOnWriteArrayList<>();
    private final Log log = (Log) Proxy.newProxyInstance(
            Log.class.getClassLoader(), new Class<?>[] {Log.class}, (proxy, method, args) -> {
                if (args != null && args.length == 1 && args[0] instanceof CharSequence text) {
                    printed.add(method.getName() + " " + text);
                }
                return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
            });

    @Test
    void escapeAndCarriageReturnInALogLineAreShownEscaped() {
        // Act
        new MavenEngineLog(log).info("output: \u001b[2J\u001b]0;owned\u0007fake PASS\rSteps: 9 passed");

        // Assert
        assertThat(printed).containsExactly("info output: \\e[2J\\e]0;owned\\u0007fake PASS\\rSteps: 9 passed");
    }

    @Test
    void newlinesTabsAndWindowsLineEndsStayLineBreaks() {
        // Act
        new MavenEngineLog(log).warn("first\tcolumn\r\nsecond\nthird");

        // Assert
        assertThat(printed).containsExactly("warn first\tcolumn", "warn second", "warn third");
    }

    @Test
    void stepFailuresInTheBuildFailureAreShownEscaped() {
        // Arrange
        RunMojo mojo = new RunMojo();
        mojo.setLog(log);
        StepResult failed = new StepResult(
                "check",
                "app",
                List.of("check"),
                StepResult.Status.FAILED,
                1,
                Duration.ofMillis(1),
                "\u001b[1A\u001b[2Kall good",
                "",
                "Step check failed: \u001b[1A\u001b[2Kall good");
        RunReport report = new RunReport(
                Path.of("a.clnrm.toml"), "a", List.of(), List.of(failed), Duration.ZERO, Duration.ZERO, Duration.ZERO);

        // Act
        Throwable thrown = catchThrowable(() -> mojo.verdict(List.of(report)));

        // Assert
        assertThat(thrown)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageEndingWith("a.clnrm.toml: Step check failed: \\e[1A\\e[2Kall good");
    }
}
