package dev.cleanroom.junit5;

import java.util.List;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs a test class through the JUnit Platform as Surefire and IDEs do, and returns what happened. */
final class Launch {

    /** Set on the launches of {@link #run}; see {@link LaunchedOnly}. */
    static final String FIXTURE_PARAMETER = "dev.cleanroom.junit5.fixture";

    private Launch() {}

    static TestExecutionSummary run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(DiscoverySelectors.selectClass(testClass))
                                .configurationParameter(FIXTURE_PARAMETER, "true")
                                .build(),
                        listener);
        return listener.getSummary();
    }

    /** Each failure's exception message, tests' and classes' alike. */
    static List<String> failureMessages(TestExecutionSummary summary) {
        return summary.getFailures().stream()
                .map(f -> f.getException().getClass().getSimpleName() + ": "
                        + f.getException().getMessage())
                .toList();
    }
}
