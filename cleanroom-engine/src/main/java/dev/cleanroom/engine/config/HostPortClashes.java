package dev.cleanroom.engine.config;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.PortSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds a fixed host port published twice in one file (by two services, or twice in one
 * list), which Docker would refuse only when the second container starts. Every service type
 * names its port list {@code ports}; mappings that do not parse are left to the type's own
 * validation. Two mappings clash on the same port and protocol when their addresses are equal
 * or one is every address ({@code 0.0.0.0}, {@code ::}).
 */
final class HostPortClashes {

    private record Published(ServiceConfig service, String text, PortSpec port) {

        boolean clashesWith(Published other) {
            return port.hostPort() == other.port.hostPort()
                    && port.protocol().equals(other.port.protocol())
                    && (port.hostIp().equals(other.port.hostIp())
                            || isEveryAddress(port)
                            || isEveryAddress(other.port));
        }

        private static boolean isEveryAddress(PortSpec port) {
            return port.hostIp().equals("0.0.0.0") || port.hostIp().equals("::");
        }
    }

    private HostPortClashes() {}

    /** One problem per mapping whose host port an earlier mapping of the file already takes. */
    static List<ConfigProblem> find(Map<String, ServiceConfig> services, Map<String, ConfigSchema> schemas) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<Published> earlier = new ArrayList<>();
        for (ServiceConfig service : services.values()) {
            if (!hasPortList(schemas.get(service.name()))) {
                continue;
            }
            for (String text : service.stringList("ports")) {
                Published published = parse(service, text);
                if (published == null || published.port().hostPort() == 0) {
                    continue;
                }
                earlier.stream()
                        .filter(published::clashesWith)
                        .findFirst()
                        .ifPresentOrElse(first -> problems.add(clash(published, first)), () -> earlier.add(published));
            }
        }
        return problems;
    }

    private static boolean hasPortList(ConfigSchema schema) {
        return schema != null
                && schema.key("ports")
                        .filter(k -> k.type() == Key.Kind.STRING_LIST)
                        .isPresent();
    }

    private static Published parse(ServiceConfig service, String text) {
        try {
            return new Published(service, text, PortSpec.parse(text));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ConfigProblem clash(Published second, Published first) {
        return second.service()
                .problem(
                        "ports",
                        "host port " + second.port().hostPort() + " (\"" + second.text()
                                + "\") is already published by services."
                                + first.service().name() + ".ports at "
                                + first.service().position("ports"),
                        "let Docker choose the host port: ports = [\"8080\"], or give each a different host port");
    }
}
