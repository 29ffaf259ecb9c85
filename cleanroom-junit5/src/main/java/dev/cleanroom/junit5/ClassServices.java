package dev.cleanroom.junit5;

import dev.cleanroom.engine.api.Environment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The services of one test class by name, and the runs the extension started for it. Kept in the
 * class's {@link ExtensionContext.Store}, which closes it when the class is done, whether it passed
 * or not: closing removes what this class started, and only that.
 */
final class ClassServices implements ExtensionContext.Store.CloseableResource {

    private final String testClass;
    private final Map<String, ServiceEndpoint> services = new LinkedHashMap<>();
    private final Map<String, String> fileOfService = new LinkedHashMap<>();
    private final List<Environment> started = new ArrayList<>();

    ClassServices(String testClass) {
        this.testClass = testClass;
    }

    void add(String file, Map<String, ServiceEndpoint> endpoints) {
        endpoints.forEach((name, endpoint) -> {
            String other = fileOfService.putIfAbsent(name, file);
            if (other != null) {
                throw new ExtensionConfigurationException("The service \"" + name + "\" is in both " + other + " and "
                        + file + ", the files of @Cleanroom on " + testClass + "; a test could not tell which one it "
                        + "gets. Perhaps you should rename one of them.");
            }
            services.put(name, endpoint);
        });
    }

    /** An environment this class started: it is removed when the class is done. */
    void started(Environment environment) {
        started.add(environment);
    }

    ServiceEndpoint get(String name) {
        ServiceEndpoint endpoint = services.get(name);
        if (endpoint == null) {
            throw new ExtensionConfigurationException(
                    "No service \"" + name + "\" in the Cleanroom files of " + testClass
                            + " (" + String.join(", ", new java.util.LinkedHashSet<>(fileOfService.values()))
                            + "); their services: "
                            + services.keySet() + ". Perhaps you should write one of those in @CleanroomService.");
        }
        return endpoint;
    }

    /** Removes, in reverse order, the runs this class started; never services someone else started. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            Environment environment = started.get(i);
            try {
                environment.stop(); // logs "Removed the containers and network of run ..."
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
                if (failure != e) {
                    failure.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
