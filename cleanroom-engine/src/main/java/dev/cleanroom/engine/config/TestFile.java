package dev.cleanroom.engine.config;

import dev.cleanroom.engine.api.LoadedFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole {@code *.clnrm.toml} file, validated: its name, its services in file order, its
 * steps in file order, and the one graph of which service waits for which (free of cycles).
 */
public record TestFile(
        Path path,
        String name,
        String description,
        Map<String, ServiceConfig> services,
        List<StepConfig> steps,
        ServiceGraph graph,
        Optional<Boolean> reuse,
        boolean shared)
        implements LoadedFile {

    /** A file that sets neither {@code reuse} nor {@code shared} under {@code [meta]}. */
    public TestFile(
            Path path,
            String name,
            String description,
            Map<String, ServiceConfig> services,
            List<StepConfig> steps,
            ServiceGraph graph) {
        this(path, name, description, services, steps, graph, Optional.empty(), false);
    }

    public TestFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        services = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
        steps = List.copyOf(steps);
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(reuse, "reuse");
    }

    @Override
    public List<String> serviceNames() {
        return new ArrayList<>(services.keySet());
    }
}
