package dev.cleanroom.engine.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A started service as its plugin describes it: the container that is the service, where the
 * build reaches it, and named endpoints (for example {@code url}) exported to tests. A final class
 * built with {@link #of} or {@link #builder}, so it can gain fields without breaking compiled
 * plugins.
 */
public final class ServiceHandle {

    private final String name;
    private final String containerId;
    private final String host;
    private final Map<Integer, Integer> ports;
    private final Map<String, String> endpoints;

    private ServiceHandle(
            String name, String containerId, String host, Map<Integer, Integer> ports, Map<String, String> endpoints) {
        this.name = Objects.requireNonNull(name, "name");
        this.containerId = Objects.requireNonNull(containerId, "containerId");
        this.host = Objects.requireNonNull(host, "host");
        this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        this.endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /** A handle for a container with no extra endpoints. */
    public static ServiceHandle of(String name, ContainerInfo container) {
        return new ServiceHandle(name, container.id(), container.host(), container.ports(), Map.of());
    }

    /** A handle put together field by field, e.g. for a service whose container publishes nothing. */
    public static Builder builder(String name, String containerId, String host) {
        return new Builder(name, containerId, host);
    }

    public ServiceHandle withEndpoint(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(endpoints);
        more.put(key, value);
        return new ServiceHandle(name, containerId, host, ports, more);
    }

    /** The service's name in the file. */
    public String name() {
        return name;
    }

    /** The container steps run in and health checks look at. */
    public String containerId() {
        return containerId;
    }

    /** The address the build reaches published ports on (loopback, a remote daemon's host, a gateway). */
    public String host() {
        return host;
    }

    /** Container port to host port, for every published port. */
    public Map<Integer, Integer> ports() {
        return ports;
    }

    /** Name to value, e.g. {@code url -> http://127.0.0.1:32768}; never secrets. */
    public Map<String, String> endpoints() {
        return endpoints;
    }

    /** Where the build reaches {@code containerPort}: {@code host:port}, an IPv6 host in brackets. */
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

    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceHandle h
                && h.name.equals(name)
                && h.containerId.equals(containerId)
                && h.host.equals(host)
                && h.ports.equals(ports)
                && h.endpoints.equals(endpoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, containerId, host, ports, endpoints);
    }

    @Override
    public String toString() {
        return "ServiceHandle[" + name + ", container=" + containerId + ", host=" + host + ", ports=" + ports
                + ", endpoints=" + endpoints + "]";
    }

    /** Builds a {@link ServiceHandle}. */
    public static final class Builder {
        private final String name;
        private final String containerId;
        private final String host;
        private final Map<Integer, Integer> ports = new LinkedHashMap<>();
        private final Map<String, String> endpoints = new LinkedHashMap<>();

        private Builder(String name, String containerId, String host) {
            this.name = name;
            this.containerId = containerId;
            this.host = host;
        }

        public Builder port(int containerPort, int hostPort) {
            ports.put(containerPort, hostPort);
            return this;
        }

        public Builder ports(Map<Integer, Integer> values) {
            ports.putAll(values);
            return this;
        }

        public Builder endpoint(String key, String value) {
            endpoints.put(key, value);
            return this;
        }

        public Builder endpoints(Map<String, String> values) {
            endpoints.putAll(values);
            return this;
        }

        public ServiceHandle build() {
            return new ServiceHandle(name, containerId, host, ports, endpoints);
        }
    }
}
