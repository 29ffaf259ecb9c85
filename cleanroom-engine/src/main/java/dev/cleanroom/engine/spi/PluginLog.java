package dev.cleanroom.engine.spi;

/** Where a plugin reports progress; the engine prefixes lines with the service's name and redacts secrets. */
public interface PluginLog {

    void info(String message);

    void warn(String message);
}
