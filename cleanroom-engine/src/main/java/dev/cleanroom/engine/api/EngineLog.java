package dev.cleanroom.engine.api;

/**
 * Where the engine reports progress. The engine never prints; an adapter (Maven's Log, a
 * test's list) decides where lines go.
 */
public interface EngineLog extends dev.cleanroom.engine.spi.PluginLog {

    @Override
    void info(String message);

    @Override
    void warn(String message);

    void debug(String message);

    /** Discards everything; for callers that only want the result. */
    static EngineLog silent() {
        return new EngineLog() {
            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {}

            @Override
            public void debug(String message) {}
        };
    }
}
