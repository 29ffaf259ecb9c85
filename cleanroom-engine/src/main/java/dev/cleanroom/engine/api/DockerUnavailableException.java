package dev.cleanroom.engine.api;

/** No Docker daemon answered where Cleanroom looked for one. */
public class DockerUnavailableException extends CleanroomException {

    public DockerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
