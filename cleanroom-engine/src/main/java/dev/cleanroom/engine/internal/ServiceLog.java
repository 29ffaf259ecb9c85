package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;

/** A plugin's log lines, prefixed with its service's name and with the file's secrets masked. */
final class ServiceLog implements EngineLog {

    private final String prefix;
    private final EngineLog log;
    private final Redactor redactor;

    ServiceLog(String service, EngineLog log, Redactor redactor) {
        this.prefix = "[" + service + "] ";
        this.log = log;
        this.redactor = redactor;
    }

    @Override
    public void info(String message) {
        log.info(prefix + redactor.apply(message));
    }

    @Override
    public void warn(String message) {
        log.warn(prefix + redactor.apply(message));
    }

    @Override
    public void debug(String message) {
        log.debug(prefix + redactor.apply(message));
    }
}
