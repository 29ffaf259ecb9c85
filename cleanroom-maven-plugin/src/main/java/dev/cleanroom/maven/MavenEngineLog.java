package dev.cleanroom.maven;

import dev.cleanroom.engine.api.EngineLog;
import org.apache.maven.plugin.logging.Log;

/** Sends the engine's progress lines to Maven's log. */
final class MavenEngineLog implements EngineLog {

    private final Log log;

    MavenEngineLog(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }
}
