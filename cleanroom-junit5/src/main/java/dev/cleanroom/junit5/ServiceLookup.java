package dev.cleanroom.junit5;

import dev.cleanroom.engine.spi.CleanroomException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides where the services of one file come from, without starting anything: the exported
 * system properties, else a run a build left running, else a start of our own. Kept apart from
 * JUnit and Docker so that each case is tested without either.
 */
final class ServiceLookup {

    /** Whether the run of that id is still up (its containers exist and all run) and reachable from here. */
    @FunctionalInterface
    interface RunCheck {
        boolean isUp(String runId) throws CleanroomException;
    }

    sealed interface Outcome permits Exported, LeftRunning, StartThem {}

    /** The build exported every service of the file as system properties (Failsafe after cleanroom:start). */
    record Exported(Map<String, ServiceEndpoint> services) implements Outcome {}

    /** A build's cleanroom:start left the file's services running (keepRunning) and the properties file names them. */
    record LeftRunning(String runId, Map<String, ServiceEndpoint> services) implements Outcome {}

    /** Nobody else runs them; {@code why} says what was looked at, for the log. */
    record StartThem(String why) implements Outcome {}

    private ServiceLookup() {}

    /**
     * @param file the file's real path, as cleanroom:start writes it into the runs file
     * @param serviceNames every service of the file
     * @param systemProperties the test JVM's system properties
     * @param propertiesFile the properties file cleanroom:start wrote ({@code target/cleanroom/cleanroom.properties}), empty when absent
     * @param runs the runs file next to it: a file's real path to its run id, empty when absent
     * @param propertiesFileName how the log names the properties file
     */
    static Outcome find(
            Path file,
            List<String> serviceNames,
            Map<String, String> systemProperties,
            Map<String, String> propertiesFile,
            Map<String, String> runs,
            RunCheck runCheck,
            String propertiesFileName)
            throws CleanroomException {
        Map<String, ServiceEndpoint> fromSystem = endpoints(serviceNames, systemProperties);
        if (fromSystem.size() == serviceNames.size()) {
            return new Exported(fromSystem);
        }
        StringBuilder why = new StringBuilder();
        if (!fromSystem.isEmpty()) {
            why.append("the system properties name ")
                    .append(fromSystem.keySet())
                    .append(" but not ")
                    .append(missing(serviceNames, fromSystem))
                    .append("; ");
        }
        Map<String, ServiceEndpoint> fromFile = endpoints(serviceNames, propertiesFile);
        String runId = runs.get(file.toString());
        if (propertiesFile.isEmpty()) {
            why.append(fromSystem.isEmpty() ? "no cleanroom.<service>.* system properties and no " : "no ")
                    .append(propertiesFileName);
        } else if (fromFile.size() < serviceNames.size()) {
            why.append(propertiesFileName).append(" does not name ").append(missing(serviceNames, fromFile));
        } else if (runId == null) {
            why.append(propertiesFileName)
                    .append(" names the services, but no run of ")
                    .append(file.getFileName())
                    .append(" is recorded next to it");
        } else if (!runCheck.isUp(runId)) {
            why.append("the run ")
                    .append(runId)
                    .append(" that ")
                    .append(propertiesFileName)
                    .append(" names is no longer up, or this JVM cannot reach it");
        } else {
            return new LeftRunning(runId, fromFile);
        }
        return new StartThem(why.toString());
    }

    /** The services of {@code serviceNames} the properties describe, in the file's order. */
    static Map<String, ServiceEndpoint> endpoints(List<String> serviceNames, Map<String, String> properties) {
        Map<String, ServiceEndpoint> found = new LinkedHashMap<>();
        for (String name : serviceNames) {
            Optional<ServiceEndpoint> endpoint = ServiceEndpoint.fromProperties(name, properties);
            endpoint.ifPresent(e -> found.put(name, e));
        }
        return found;
    }

    private static List<String> missing(List<String> serviceNames, Map<String, ServiceEndpoint> found) {
        return serviceNames.stream().filter(name -> !found.containsKey(name)).toList();
    }
}
