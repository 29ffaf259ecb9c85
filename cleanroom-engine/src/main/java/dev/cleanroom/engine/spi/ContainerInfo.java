package dev.cleanroom.engine.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A started container: its id, name, the address its published ports are reachable on from
 * this JVM, and the host port for each published container port.
 */
public record ContainerInfo(String id, String name, String host, Map<Integer, Integer> ports) {

    public ContainerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        // Declaration order matters: the first declared port is the service's main port.
        ports = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ports));
    }

    /** Where the test JVM reaches {@code containerPort}: {@code host:port}, an IPv6 host in brackets. */
    public String address(int containerPort) {
        return PortSpec.hostAndPort(host, hostPort(containerPort));
    }

    public int hostPort(int containerPort) {
        Integer port = ports.get(containerPort);
        if (port == null) {
            throw new IllegalArgumentException("Container port " + containerPort + " of " + name
                    + " is not published; published: " + ports.keySet());
        }
        return port;
    }
}
