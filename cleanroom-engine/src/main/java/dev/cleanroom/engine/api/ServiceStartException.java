package dev.cleanroom.engine.api;

import dev.cleanroom.engine.spi.CleanroomException;

/** A service did not become ready; everything the run had started was removed again. */
public class ServiceStartException extends CleanroomException {
    private static final long serialVersionUID = 1L;

    private final String serviceName;

    public ServiceStartException(String serviceName, String message, Throwable cause) {
        super(message, cause);
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }
}
