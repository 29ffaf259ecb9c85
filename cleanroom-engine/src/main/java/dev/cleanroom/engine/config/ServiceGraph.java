package dev.cleanroom.engine.config;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.SourcePosition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which service of a file waits for which: each service's {@code depends_on} plus what its plugin
 * needs first ({@link dev.cleanroom.engine.spi.ServiceDefinition#implicitDependencies()}). The
 * parser builds it once per file; start order, stop order and the cycle error all come from this
 * one graph, so they cannot disagree.
 */
public final class ServiceGraph {

    /** Where a service was told to wait for another: its {@code depends_on}, or its plugin. */
    public record Edge(String from, String to, boolean implicit, SourcePosition position) {

        /** E.g. {@code a -> b at test.clnrm.toml:4 (depends_on)}. */
        String describe() {
            String file = position.file() == null || position.file().getFileName() == null
                    ? "<unknown file>"
                    : position.file().getFileName().toString();
            String where = position.line() > 0 ? file + ":" + position.line() : file;
            return from + " -> " + to + " at " + where
                    + (implicit ? " (implicitly, as its plugin needs)" : " (depends_on)");
        }
    }

    private final List<String> names;
    private final Map<String, ServiceConfig> services;
    private final Map<String, List<Edge>> dependencies;
    private final Map<String, List<String>> dependents;
    /** The first cycle found, as edges in order; empty when there is none. */
    private final List<Edge> cycle;
    /** Empty when there is a cycle: no order exists then. */
    private final List<List<String>> waves;

    private ServiceGraph(Map<String, ServiceConfig> services) {
        this.services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
        this.names = List.copyOf(services.keySet());
        Map<String, List<Edge>> edges = new LinkedHashMap<>();
        Map<String, List<String>> reverse = new LinkedHashMap<>();
        names.forEach(name -> reverse.put(name, new ArrayList<>()));
        for (ServiceConfig service : services.values()) {
            List<Edge> out = edgesOf(service, services);
            edges.put(service.name(), List.copyOf(out));
            out.forEach(edge -> reverse.get(edge.to()).add(service.name()));
        }
        this.dependencies = Collections.unmodifiableMap(edges);
        // Services were walked in file order, so each list of dependents is in file order too.
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        reverse.forEach((name, list) -> frozen.put(name, List.copyOf(list)));
        this.dependents = Collections.unmodifiableMap(frozen);
        this.cycle = findCycle();
        this.waves = cycle.isEmpty() ? layer() : List.of();
    }

    /**
     * The graph of {@code services}, each already defined by its plugin. Names that are not keys
     * of {@code services} (unknown, or invalid and so left out) and a service naming itself make
     * no edge: the parser reports the declared ones on their own.
     */
    public static ServiceGraph of(Map<String, ServiceConfig> services) {
        return new ServiceGraph(services);
    }

    /** Declared edges first, in {@code depends_on} order, then the plugin's in file order. */
    private static List<Edge> edgesOf(ServiceConfig service, Map<String, ServiceConfig> services) {
        Map<String, Edge> edges = new LinkedHashMap<>();
        for (String dependency : service.dependsOn()) {
            if (services.containsKey(dependency) && !dependency.equals(service.name())) {
                edges.putIfAbsent(
                        dependency, new Edge(service.name(), dependency, false, service.position("depends_on")));
            }
        }
        Set<String> implicit = service.definition().implicitDependencies();
        if (implicit != null && !implicit.isEmpty()) {
            for (String dependency : services.keySet()) {
                if (implicit.contains(dependency) && !dependency.equals(service.name())) {
                    edges.putIfAbsent(dependency, new Edge(service.name(), dependency, true, service.position()));
                }
            }
        }
        return new ArrayList<>(edges.values());
    }

    /** The services this one waits for, declared ones first. */
    public List<String> dependenciesOf(String name) {
        return edgesFrom(name).stream().map(Edge::to).toList();
    }

    /** Why {@code name} waits for each of its dependencies. */
    public List<Edge> edgesFrom(String name) {
        List<Edge> edges = dependencies.get(name);
        if (edges == null) {
            throw new IllegalArgumentException("no service " + name + " in this graph; known: " + names);
        }
        return edges;
    }

    /** The services that wait for this one, in file order. */
    public List<String> dependentsOf(String name) {
        List<String> waiting = dependents.get(name);
        if (waiting == null) {
            throw new IllegalArgumentException("no service " + name + " in this graph; known: " + names);
        }
        return waiting;
    }

    /**
     * Services grouped by how long a chain of dependencies they wait for: the first wave waits
     * for none, each later one only for earlier waves. File order within a wave.
     */
    public List<List<String>> waves() {
        requireNoCycle();
        return waves;
    }

    /** Every service after all it depends on: the waves one after the other. */
    public List<String> startOrder() {
        return waves().stream().flatMap(List::stream).toList();
    }

    /** Every service after all that depend on it: the start order reversed. */
    public List<String> stopOrder() {
        List<String> order = new ArrayList<>(startOrder());
        Collections.reverse(order);
        return List.copyOf(order);
    }

    /** The first cycle, e.g. {@code [a, b, a]}; empty when there is none. */
    public List<String> cyclePath() {
        if (cycle.isEmpty()) {
            return List.of();
        }
        List<String> path = new ArrayList<>();
        cycle.forEach(edge -> path.add(edge.from()));
        path.add(cycle.get(0).from());
        return List.copyOf(path);
    }

    /**
     * The cycle as a problem with the file: the path, then where each of its edges was written.
     * Placed on the first {@code depends_on} of the cycle, or on the first service's table when
     * only plugins closed it.
     */
    public Optional<ConfigProblem> cycleProblem() {
        if (cycle.isEmpty()) {
            return Optional.empty();
        }
        String message = "services depend on each other in a cycle: " + String.join(" -> ", cyclePath()) + "; "
                + cycle.stream().map(Edge::describe).collect(Collectors.joining(", "));
        Optional<Edge> declared =
                cycle.stream().filter(edge -> !edge.implicit()).findFirst();
        if (declared.isPresent()) {
            return Optional.of(services.get(declared.get().from())
                    .problem("depends_on", message, "remove one of these depends_on entries"));
        }
        return Optional.of(services.get(cycle.get(0).from())
                .problem("", message, "change these services' settings so their plugins do not need each other"));
    }

    private void requireNoCycle() {
        if (!cycle.isEmpty()) {
            throw new IllegalStateException("services depend on each other in a cycle ("
                    + String.join(" -> ", cyclePath()) + "), so they have no start order");
        }
    }

    /** Depth-first in file order, edges in their order: the same file always reports the same cycle. */
    private List<Edge> findCycle() {
        Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: done
        for (String start : names) {
            List<Edge> path = new ArrayList<>();
            List<Edge> found = visit(start, state, path);
            if (!found.isEmpty()) {
                return List.copyOf(found);
            }
        }
        return List.of();
    }

    private List<Edge> visit(String name, Map<String, Integer> state, List<Edge> path) {
        int seen = state.getOrDefault(name, 0);
        if (seen == 2) {
            return List.of();
        }
        if (seen == 1) {
            for (int i = 0; i < path.size(); i++) {
                if (path.get(i).from().equals(name)) {
                    return path.subList(i, path.size());
                }
            }
            throw new IllegalStateException("service " + name + " is on the path but no edge leaves it");
        }
        state.put(name, 1);
        for (Edge edge : dependencies.get(name)) {
            path.add(edge);
            List<Edge> found = visit(edge.to(), state, path);
            if (!found.isEmpty()) {
                return found;
            }
            path.remove(path.size() - 1);
        }
        state.put(name, 2);
        return List.of();
    }

    /** Only without a cycle: each service one wave after its latest dependency. */
    private List<List<String>> layer() {
        Map<String, Integer> waveOf = new HashMap<>();
        List<List<String>> result = new ArrayList<>();
        for (String name : names) {
            waveOf(name, waveOf);
        }
        for (String name : names) {
            int wave = waveOf.get(name);
            while (result.size() <= wave) {
                result.add(new ArrayList<>());
            }
            result.get(wave).add(name);
        }
        return result.stream().map(List::copyOf).toList();
    }

    private int waveOf(String name, Map<String, Integer> waveOf) {
        Integer known = waveOf.get(name);
        if (known != null) {
            return known;
        }
        int wave = 0;
        for (Edge edge : dependencies.get(name)) {
            wave = Math.max(wave, waveOf(edge.to(), waveOf) + 1);
        }
        waveOf.put(name, wave);
        return wave;
    }
}
