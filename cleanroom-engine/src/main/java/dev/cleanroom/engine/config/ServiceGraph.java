package dev.cleanroom.engine.config;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.SourcePosition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
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

    /**
     * Depth-first in file order, edges in their order: the same file always reports the same
     * cycle. Iterative, with the path as its stack: a recursive walk overflowed the thread's stack
     * on a chain of 100,000 services (ServiceGraphTest).
     */
    private List<Edge> findCycle() {
        Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: done
        for (String start : names) {
            if (state.containsKey(start)) {
                continue;
            }
            // path.get(i) is the edge taken out of walk.get(i); next.get(i) is that service's next edge.
            List<String> walk = new ArrayList<>(List.of(start));
            List<Integer> next = new ArrayList<>(List.of(0));
            List<Edge> path = new ArrayList<>();
            state.put(start, 1);
            while (!walk.isEmpty()) {
                int top = walk.size() - 1;
                List<Edge> edges = dependencies.get(walk.get(top));
                int index = next.get(top);
                if (index == edges.size()) {
                    state.put(walk.remove(top), 2);
                    next.remove(top);
                    if (!path.isEmpty()) {
                        path.remove(path.size() - 1);
                    }
                    continue;
                }
                next.set(top, index + 1);
                Edge edge = edges.get(index);
                int seen = state.getOrDefault(edge.to(), 0);
                if (seen == 1) {
                    path.add(edge);
                    return List.copyOf(path.subList(walk.indexOf(edge.to()), path.size()));
                }
                if (seen == 0) {
                    path.add(edge);
                    walk.add(edge.to());
                    next.add(0);
                    state.put(edge.to(), 1);
                }
            }
        }
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

    /**
     * The wave of {@code name}, filling {@code waveOf} for it and everything it depends on:
     * post-order with a stack of its own, not recursion, for the reason {@link #findCycle} gives.
     */
    private void waveOf(String name, Map<String, Integer> waveOf) {
        Deque<String> pending = new ArrayDeque<>();
        pending.push(name);
        while (!pending.isEmpty()) {
            String current = pending.peek();
            if (waveOf.containsKey(current)) {
                pending.pop();
                continue;
            }
            int wave = 0;
            boolean ready = true;
            for (Edge edge : dependencies.get(current)) {
                Integer known = waveOf.get(edge.to());
                if (known == null) {
                    pending.push(edge.to());
                    ready = false;
                } else {
                    wave = Math.max(wave, known + 1);
                }
            }
            if (ready) {
                waveOf.put(current, wave);
                pending.pop();
            }
        }
    }
}
