package dev.cleanroom.engine.config;

import dev.cleanroom.engine.api.LoadedFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole {@code *.clnrm.toml} file, validated: its name, its services in file order and its
 * steps in file order.
 */
public record TestFile(Path path, String name, String description, Map<String, ServiceConfig> services,
                       List<StepConfig> steps) implements LoadedFile {

    public TestFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        services = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
        steps = List.copyOf(steps);
    }

    @Override
    public List<String> serviceNames() {
        return new ArrayList<>(services.keySet());
    }
}
