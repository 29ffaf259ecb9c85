package dev.cleanroom.engine.api;

import dev.cleanroom.engine.spi.Key;
import java.util.List;

/** A registered service type, as {@code cleanroom:plugins} and the docs show it. */
public record PluginInfo(String type, String description, String implementation, List<Key<?>> keys) {

    public PluginInfo {
        keys = List.copyOf(keys);
    }
}
