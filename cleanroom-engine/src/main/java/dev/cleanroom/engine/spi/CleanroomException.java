package dev.cleanroom.engine.spi;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Anything that stops Cleanroom from doing what it was asked: broken configuration, a service
 * that does not start, a Docker daemon that does not answer. Messages follow one formula: what
 * failed, the offending value, and what to do about it.
 *
 * <p>Code decides on {@link #reason()}, never on the message: the daemon reports some failures
 * only as text (a port in use, a GPU driver missing), and only the Docker client reads that text,
 * turning it into a reason here. Plugins and the engine's lifecycle branch on the reason.
 */
public class CleanroomException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why something failed, as far as code needs to tell failures apart. */
    public enum Reason {
        /** Not classified; the message says what happened. */
        OTHER,
        /** The configuration is wrong; nothing was started. */
        CONFIG,
        /** The image does not exist, locally or in its registry, or the registry refused it. */
        IMAGE_MISSING,
        /** The daemon refused a request; {@link #httpStatus()} has its status. */
        DAEMON_REFUSED,
        /** The daemon could not give the container the GPUs it asked for (no driver, no device). */
        GPU_REFUSED,
        /** A host port the container asked for is taken. */
        PORT_TAKEN,
        /** The daemon is already removing the object, or it is gone. */
        REMOVAL_IN_PROGRESS,
        /** The object (container, network, image) does not exist. */
        NOT_FOUND,
        /** A container exited; {@link #exitCode()} has its code. */
        EXITED,
        /** A container was killed for using more memory than it may. */
        OUT_OF_MEMORY,
        /** A service did not become healthy in time. */
        HEALTH_TIMEOUT,
        /** No daemon answered, or it stopped answering. */
        DAEMON_GONE,
        /** The daemon cannot do what was asked (e.g. a feature a rootless or non-systemd host lacks). */
        UNSUPPORTED,
        /** The build was interrupted (Ctrl-C, another service failed). */
        INTERRUPTED
    }

    private final Reason reason;
    private final int httpStatus;
    private final Long exitCode;

    public CleanroomException(String message) {
        this(Reason.OTHER, message, null);
    }

    public CleanroomException(String message, Throwable cause) {
        this(reasonOf(cause), message, cause);
    }

    public CleanroomException(Reason reason, String message) {
        this(reason, message, null);
    }

    public CleanroomException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, 0, null);
    }

    protected CleanroomException(Reason reason, String message, Throwable cause, int httpStatus, Long exitCode) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
    }

    /** A refusal by the daemon with its HTTP status (4xx, 5xx). */
    public static CleanroomException refused(Reason reason, int httpStatus, String message, Throwable cause) {
        return new CleanroomException(reason, message, cause, httpStatus, null);
    }

    /** A container that exited with {@code code}. */
    public static CleanroomException exited(long code, boolean outOfMemory, String message) {
        return new CleanroomException(outOfMemory ? Reason.OUT_OF_MEMORY : Reason.EXITED, message, null, 0, code);
    }

    public Reason reason() {
        return reason;
    }

    /** The daemon's HTTP status when it refused a request; empty otherwise. */
    public OptionalInt httpStatus() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** The container's exit code for {@link Reason#EXITED} and {@link Reason#OUT_OF_MEMORY}. */
    public java.util.OptionalLong exitCode() {
        return exitCode == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(exitCode);
    }

    /** Keeps the reason of a wrapped failure, so wrapping for a better message loses nothing. */
    private static Reason reasonOf(Throwable cause) {
        return cause instanceof CleanroomException c ? c.reason() : Reason.OTHER;
    }
}
