package dev.cleanroom.maven;

import dev.cleanroom.engine.api.ConsoleText;
import dev.cleanroom.engine.api.EngineLog;
import org.apache.maven.plugin.logging.Log;

/** Sends the engine's progress lines to Maven's log, with control characters escaped (see {@link ConsoleText}). */
final class MavenEngineLog implements EngineLog {

    private final Log log;

    MavenEngineLog(Log log) {
        this.log = log;
    }

    // One call per line, so every line of a multi-line message carries Maven's level prefix.
    @Override
    public void info(String message) {
        ConsoleText.escape(message).lines().forEach(log::info);
    }

    @Override
    public void warn(String message) {
        ConsoleText.escape(message).lines().forEach(log::warn);
    }

    @Override
    public void debug(String message) {
        log.debug(ConsoleText.escape(message));
    }
}
