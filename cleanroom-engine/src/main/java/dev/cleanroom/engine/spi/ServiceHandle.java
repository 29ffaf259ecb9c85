package dev.cleanroom.engine.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A started service as its plugin describes it: the container that is the service, where
 * tests reach it, and named endpoints (for example {@code url}) that are exported to tests.
 *
 * @param ports container port to host port, for every published port
 * @param endpoints name to value, e.g. {@code url -> http://127.0.0.1:32768}; never secrets
 */
public record ServiceHandle(String name, String containerId, String host, Map<Integer, Integer> ports,
                            Map<String, String> endpoints) {

    public ServiceHandle {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(host, "host");
        ports = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        endpoints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /** A handle for a container with no extra endpoints. */
    public static ServiceHandle of(String name, ContainerInfo container) {
        return new ServiceHandle(name, container.id(), container.host(), container.ports(), Map.of());
    }

    public ServiceHandle withEndpoint(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(endpoints);
        more.put(key, value);
        return new ServiceHandle(name, containerId, host, ports, more);
    }

    /** Where the test JVM reaches {@code containerPort}: {@code host:port}, an IPv6 host in brackets. */
    public String address(int containerPort) {
        return PortSpec.hostAndPort(host, hostPort(containerPort));
    }

    public int hostPort(int containerPort) {
        Integer port = ports.get(containerPort);
        if (port == null) {
            throw new IllegalArgumentException("Port " + containerPort + " of service " + name
                    + " is not published; published: " + ports.keySet());
        }
        return port;
    }
}
