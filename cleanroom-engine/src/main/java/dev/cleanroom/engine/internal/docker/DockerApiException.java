package dev.cleanroom.engine.internal.docker;

import java.io.IOException;

/** The daemon answered with an error status; the message is the daemon's own words. */
public final class DockerApiException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String daemonMessage;

    public DockerApiException(int status, String daemonMessage) {
        super("HTTP " + status + ": " + daemonMessage);
        this.status = status;
        this.daemonMessage = daemonMessage;
    }

    /** The daemon's own words, without the status. */
    public String daemonMessage() {
        return daemonMessage;
    }

    public int status() {
        return status;
    }

    /** No such container, image, network or exec. */
    public boolean notFound() {
        return status == 404;
    }

    /** Whether {@code failure} is the daemon saying that what was named does not exist. */
    public static boolean isNotFound(IOException failure) {
        return failure instanceof DockerApiException answer && answer.notFound();
    }
}
