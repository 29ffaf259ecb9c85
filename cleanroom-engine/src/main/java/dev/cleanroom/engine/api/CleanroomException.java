package dev.cleanroom.engine.api;

/**
 * Anything that stops Cleanroom from doing what it was asked: broken configuration, a
 * service that does not start, a Docker daemon that does not answer. Messages follow one
 * formula: what failed, the offending value, and what to do about it.
 */
public class CleanroomException extends Exception {

    public CleanroomException(String message) {
        super(message);
    }

    public CleanroomException(String message, Throwable cause) {
        super(message, cause);
    }
}
