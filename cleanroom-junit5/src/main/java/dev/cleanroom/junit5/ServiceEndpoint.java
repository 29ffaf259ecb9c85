package dev.cleanroom.junit5;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a test reaches one service: the same values {@code cleanroom:start} exports as
 * {@code cleanroom.<service>.*} properties, whoever started the service.
 *
 * <p>{@link #url()} and {@link #port()} throw, naming the service and what it has, when it has no
 * such value: a test that needs a URL cannot go on without one, and the message says why there is
 * none. {@link #endpoint(String)} returns an {@link Optional} for values a test may probe for.
 */
public final class ServiceEndpoint {

    private final String name;
    private final String host;
    private final Optional<Integer> firstPort;
    private final Map<Integer, Integer> ports;
    private final Map<String, String> endpoints;

    private ServiceEndpoint(
            String name,
            String host,
            Optional<Integer> firstPort,
            Map<Integer, Integer> ports,
            Map<String, String> endpoints) {
        this.name = name;
        this.host = host;
        this.firstPort = firstPort;
        this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        this.endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /**
     * The service {@code name} as the properties {@code cleanroom.<name>.host}, {@code .port},
     * {@code .port.<containerPort>} and one per endpoint (such as {@code .url}) describe it; other
     * properties are ignored. Empty when there is no {@code cleanroom.<name>.host}.
     */
    static Optional<ServiceEndpoint> fromProperties(String name, Map<String, String> properties) {
        String prefix = "cleanroom." + name + ".";
        String host = properties.get(prefix + "host");
        if (host == null) {
            return Optional.empty();
        }
        Optional<Integer> firstPort =
                Optional.ofNullable(properties.get(prefix + "port")).map(v -> port(prefix + "port", v));
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        Map<String, String> endpoints = new LinkedHashMap<>();
        properties.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    String key = e.getKey().substring(prefix.length());
                    if (key.startsWith("port.")) {
                        ports.put(port(e.getKey(), key.substring("port.".length())), port(e.getKey(), e.getValue()));
                    } else if (!key.equals("host") && !key.equals("port")) {
                        endpoints.put(key, e.getValue());
                    }
                });
        return Optional.of(new ServiceEndpoint(name, host, firstPort, ports, endpoints));
    }

    private static int port(String key, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = \"" + value + "\" is not a port number", e);
        }
    }

    /** The service's name in its file. */
    public String name() {
        return name;
    }

    /** The address the tests reach the service on ({@code cleanroom.<service>.host}). */
    public String host() {
        return host;
    }

    /** The host port of the service's first declared port ({@code cleanroom.<service>.port}). */
    public int port() {
        return firstPort.orElseThrow(() -> new IllegalStateException("Service \"" + name + "\" publishes no port, so "
                + "it has no cleanroom." + name + ".port. Perhaps you should add ports = [\"<containerPort>\"] to "
                + "[services." + name + "]."));
    }

    /** The host port the container port {@code containerPort} is published on. */
    public int port(int containerPort) {
        Integer port = ports.get(containerPort);
        if (port == null) {
            throw new IllegalArgumentException("Service \"" + name + "\" does not publish container port "
                    + containerPort + "; it publishes " + (ports.isEmpty() ? "none" : ports.keySet()) + ".");
        }
        return port;
    }

    /** Container port to host port, for every published port, in declaration order. */
    public Map<Integer, Integer> ports() {
        return ports;
    }

    /**
     * The service's URL ({@code cleanroom.<service>.url}); throws when its type exports none
     * (a {@code generic_container} has one only with {@code health.http}).
     */
    public String url() {
        return endpoint("url")
                .orElseThrow(
                        () -> new IllegalStateException(
                                "Service \"" + name + "\" has no url: its "
                                        + "type exports none"
                                        + (endpoints.isEmpty() ? "" : " (it exports " + endpoints.keySet() + ")")
                                        + ". A generic_container has one only with health.http; otherwise build it from host() and port()."));
    }

    /** An endpoint its type exports ({@code cleanroom.<service>.<endpoint>}), such as {@code url} or {@code model}. */
    public Optional<String> endpoint(String endpoint) {
        return Optional.ofNullable(endpoints.get(Objects.requireNonNull(endpoint, "endpoint")));
    }

    /** Every endpoint its type exports, by name; never secrets. */
    public Map<String, String> endpoints() {
        return endpoints;
    }

    @Override
    public String toString() {
        return name + " at " + host + (ports.isEmpty() ? "" : " " + ports)
                + (endpoints.isEmpty() ? "" : " " + endpoints);
    }
}
