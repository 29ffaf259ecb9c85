package dev.cleanroom.engine.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running services of one file. Closing it removes every container and the network of the
 * run; so does the end of the JVM, should nobody close it.
 */
public interface Environment extends AutoCloseable {

    String runId();

    LoadedFile file();

    List<StartedService> services();

    default Optional<StartedService> service(String name) {
        return services().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    Duration startDuration();

    /** Runs the file's steps in order against the running services. */
    List<StepResult> runSteps();

    /** Removes everything of this run; idempotent. Returns how long the removal took. */
    Duration stop();

    /**
     * Leaves the services running after this JVM ends (for debugging): no shutdown hook removes
     * them, and {@link #stop()} does nothing. The next start or stop of the same project on this
     * host sweeps them, since their owner is gone by then.
     */
    void detach();

    /**
     * Where tests reach each service, as {@code cleanroom.<service>.host}, {@code .port} (the first
     * declared port), {@code .port.<containerPort>} for every published port, and one entry per
     * endpoint of its plugin, such as {@code .url}.
     */
    default Map<String, String> exportedProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (StartedService service : services()) {
            String prefix = "cleanroom." + service.name() + ".";
            properties.put(prefix + "host", service.handle().host());
            service.handle().ports().entrySet().stream()
                    .findFirst()
                    .ifPresent(first -> properties.put(prefix + "port", Integer.toString(first.getValue())));
            service.handle()
                    .ports()
                    .forEach((container, host) -> properties.put(prefix + "port." + container, Integer.toString(host)));
            service.handle().endpoints().forEach((key, value) -> properties.put(prefix + key, value));
        }
        return properties;
    }

    @Override
    default void close() {
        stop();
    }
}
