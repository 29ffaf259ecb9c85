package dev.cleanroom.engine.testing;

import dev.cleanroom.engine.api.EngineLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Test double of the engine log that keeps every line, prefixed with its level. */
public final class RecordingLog implements EngineLog {

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    @Override
    public void debug(String message) {
        lines.add("DEBUG " + message);
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public String text() {
        return String.join("\n", lines());
    }
}
