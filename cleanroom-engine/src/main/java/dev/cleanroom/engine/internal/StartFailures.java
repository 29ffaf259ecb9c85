package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.config.ServiceConfig;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What users read when a start fails: which service, what went wrong, the last lines of its log,
 * and, for the whole run, every failure and whether anything was left behind. Secrets are
 * masked in all of it.
 */
final class StartFailures {

    private final Redactor redactor;

    StartFailures(Redactor redactor) {
        this.redactor = redactor;
    }

    /** One service's failure; with {@code containerId}, the tail of that container's log. */
    ServiceStartException failure(
            ServiceConfig config, ScopedBackend backend, String what, String containerId, Throwable cause) {
        StringBuilder message = new StringBuilder("Service ")
                .append(config.name())
                .append(" (")
                .append(config.type())
                .append(backend.firstImage().map(i -> ", " + i).orElse(""))
                .append(") ")
                .append(what);
        if (containerId != null) {
            message.append(LogTail.of(backend, containerId, config.name()));
        }
        return new ServiceStartException(config.name(), redactor.apply(message.toString()), cause);
    }

    /**
     * The run's failures as one exception, ending with what the removal left: {@code leftBehind},
     * or null when everything of run {@code runShortId} was removed.
     */
    /** {@code cleaned}: what the failed start's stop did with the run ({@link Teardown#outcome()}). */
    static ServiceStartException combined(List<ServiceStartException> failures, String cleaned) {
        if (failures.size() == 1) {
            ServiceStartException only = failures.get(0);
            return new ServiceStartException(only.serviceName(), only.getMessage() + "\n" + cleaned, only.getCause());
        }
        String all = failures.stream().map(Throwable::getMessage).collect(Collectors.joining("\n\n"));
        return new ServiceStartException(
                failures.get(0).serviceName(),
                failures.size() + " services failed to start:\n" + all + "\n" + cleaned,
                failures.get(0));
    }
}
