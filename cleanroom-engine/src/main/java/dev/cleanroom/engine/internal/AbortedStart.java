package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.ServiceStartException;

/** A start that stopped because another service failed first, or the build was interrupted; not a failure of its own. */
final class AbortedStart extends ServiceStartException {
    private static final long serialVersionUID = 1L;

    AbortedStart(String service, String why) {
        super(service, "Start of service " + service + " was aborted: " + why, null);
    }
}
