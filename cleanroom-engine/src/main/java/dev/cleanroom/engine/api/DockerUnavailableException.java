package dev.cleanroom.engine.api;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.CleanroomException.Reason;

/** No Docker daemon answered where Cleanroom looked for one. */
public class DockerUnavailableException extends CleanroomException {
    private static final long serialVersionUID = 1L;

    public DockerUnavailableException(String message, Throwable cause) {
        super(Reason.DAEMON_GONE, message, cause);
    }
}
