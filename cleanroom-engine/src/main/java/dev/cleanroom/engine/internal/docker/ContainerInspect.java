package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code GET /containers/{id}/json} says that we use: the state, the host port published
 * for each container port, and the container's address on each network it is on.
 *
 * @param publishedPorts host port by container port (the first binding of each; protocol dropped)
 * @param addresses      the container's IPv4 address (else its IPv6 one, else "") by network name, in the daemon's order
 */
record ContainerInspect(ContainerState state, Map<Integer, Integer> publishedPorts, Map<String, String> addresses) {

    ContainerInspect {
        publishedPorts = Map.copyOf(publishedPorts);
        addresses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
    }

    static ContainerInspect of(Map<String, Object> inspected) {
        Map<String, Object> state = Json.object(inspected, "State");
        ContainerState parsedState = new ContainerState(
                Json.isTrue(state, "Running"),
                Json.number(state, "ExitCode").orElse(0L).intValue(),
                Json.isTrue(state, "OOMKilled"),
                Json.string(state, "Status").orElse(""),
                Json.string(state, "Error").orElse(""));
        Map<String, Object> settings = Json.object(inspected, "NetworkSettings");
        Map<Integer, Integer> published = new LinkedHashMap<>();
        Json.object(settings, "Ports")
                .forEach((port, hostBindings) -> Json.objectsOf(hostBindings).stream()
                        .findFirst()
                        .flatMap(first -> Json.string(first, "HostPort"))
                        .filter(p -> !p.isEmpty())
                        .ifPresent(hostPort -> published.put(
                                Integer.parseInt(port.replaceFirst("/.*", "")), Integer.parseInt(hostPort))));
        Map<String, String> addresses = new LinkedHashMap<>();
        Json.object(settings, "Networks").forEach((name, endpoint) -> {
            if (!(endpoint instanceof Map<?, ?>)) {
                return;
            }
            Map<String, Object> network = Json.object(Map.of("n", endpoint), "n");
            addresses.put(
                    name,
                    Json.string(network, "IPAddress")
                            .filter(ip -> !ip.isEmpty())
                            .or(() -> Json.string(network, "GlobalIPv6Address").filter(ip -> !ip.isEmpty()))
                            .orElse(""));
        });
        return new ContainerInspect(parsedState, published, addresses);
    }

    /**
     * The container's address on {@code network} when it is on it, else on its first network:
     * where a build that joined the run's network dials it.
     */
    Optional<String> address(Optional<String> network) {
        return network.filter(addresses::containsKey)
                .map(addresses::get)
                .or(() -> addresses.values().stream().findFirst())
                .filter(address -> !address.isEmpty());
    }
}
