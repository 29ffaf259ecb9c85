package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.CleanroomException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Locale;

/**
 * Turns a failed call to the daemon into a {@link CleanroomException} with its {@link Reason}.
 *
 * <p>The daemon tells some failures apart only in words (a port in use, a GPU driver missing, a
 * removal under way), so this is the one class that reads its message text; everything above the
 * Docker client decides on the reason. The wordings below are Docker's own (moby, runc, the
 * NVIDIA container toolkit), lower-cased.
 */
final class DaemonFailures {

    /** What a call was about, when a 404 means different things: an image call's 404 is a missing image. */
    enum Call {
        IMAGE,
        PULL,
        OTHER
    }

    /** "could not select device driver \"\" with capabilities: [[gpu]]" and the toolkit's hook failures. */
    private static final List<String> GPU_REFUSALS = List.of(
            "could not select device driver",
            "nvidia-container-cli",
            "no nvidia devices",
            "unknown or invalid runtime name: nvidia");

    /** "Bind for 0.0.0.0:8080 failed: port is already allocated", "listen tcp4 0.0.0.0:8080: bind: address already in use". */
    private static final List<String> PORT_TAKEN = List.of("port is already allocated", "address already in use");

    /** "removal of container 3f1a... is already in progress" (409). */
    private static final String REMOVAL_UNDER_WAY = "is already in progress";

    /**
     * How the daemon (and the registries behind it) word a refused pull, mostly with status 500:
     * "unauthorized: authentication required", "no basic auth credentials", "pull access denied".
     */
    private static final List<String> REGISTRY_REFUSALS =
            List.of("unauthorized", "authentication required", "no basic auth credentials", "denied", "forbidden");

    /** "the container name \"clnrm-lock-x\" is already in use by 3f1a...": Docker (409) and Podman (500). */
    private static final String CONTAINER_NAME = "container name";

    private static final String ALREADY_IN_USE = "already in use";

    /** How Podman ends its 500 for a container it no longer has. */
    private static final String NO_SUCH_CONTAINER = "no such container";

    /** "network clnrm-x id 3f1a... has active endpoints": containers still attached. */
    private static final String ACTIVE_ENDPOINTS = "active endpoints";

    private DaemonFailures() {}

    /** {@code message} as a failure whose reason (and HTTP status, when the daemon refused) comes from {@code cause}. */
    static CleanroomException failure(String message, IOException cause) {
        return failure(message, cause, Call.OTHER);
    }

    static CleanroomException failure(String message, IOException cause, Call call) {
        Reason reason = reason(cause, call);
        if (cause instanceof DockerApiException refusal && refusal.status() >= 400) {
            return CleanroomException.refused(reason, refusal.status(), message, cause);
        }
        return new CleanroomException(reason, message, cause);
    }

    static Reason reason(IOException failure) {
        return reason(failure, Call.OTHER);
    }

    static Reason reason(IOException failure, Call call) {
        if (interrupted(failure)) {
            return Reason.INTERRUPTED;
        }
        if (failure instanceof RegistryAccessDeniedException) {
            return Reason.IMAGE_MISSING;
        }
        if (failure instanceof DockerApiException refusal) {
            return refusalReason(refusal, call);
        }
        return daemonGone(failure) ? Reason.DAEMON_GONE : Reason.OTHER;
    }

    private static Reason refusalReason(DockerApiException refusal, Call call) {
        String said = refusal.daemonMessage().toLowerCase(Locale.ROOT);
        if (GPU_REFUSALS.stream().anyMatch(said::contains)) {
            return Reason.GPU_REFUSED;
        }
        if (PORT_TAKEN.stream().anyMatch(said::contains)) {
            return Reason.PORT_TAKEN;
        }
        if (said.contains(REMOVAL_UNDER_WAY)) {
            return Reason.REMOVAL_IN_PROGRESS;
        }
        // The systemd cgroup driver takes only slices: "cgroup-parent for systemd cgroup should be a valid slice ...".
        if (said.contains("cgroup") && said.contains("systemd")) {
            return Reason.UNSUPPORTED;
        }
        if (call == Call.PULL) {
            // Whatever the daemon or registry said (manifest unknown, no such host), the image cannot be had.
            return Reason.IMAGE_MISSING;
        }
        if (refusal.notFound()) {
            return call == Call.IMAGE || said.startsWith("no such image") ? Reason.IMAGE_MISSING : Reason.NOT_FOUND;
        }
        return Reason.DAEMON_REFUSED;
    }

    /**
     * The daemon's 404 for what the call named (container, image, network, exec), or Podman's 500
     * for a container removed while it was asked about ("container 5c8c... does not exist in
     * database: no such container", Podman 4.3's compat API): gone either way.
     */
    static boolean notFound(IOException failure) {
        return DockerApiException.isNotFound(failure)
                || (failure instanceof DockerApiException refusal
                        && refusal.status() == 500
                        && refusal.daemonMessage().toLowerCase(Locale.ROOT).endsWith(NO_SUCH_CONTAINER));
    }

    /**
     * A create refused because a container of that name exists: Docker says 409 Conflict, Podman
     * (4.3's compat API) says 500 "the container name \"x\" is already in use by ...".
     */
    static boolean nameTaken(IOException failure) {
        if (!(failure instanceof DockerApiException refusal)) {
            return false;
        }
        String said = refusal.daemonMessage().toLowerCase(Locale.ROOT);
        return refusal.status() == 409 || (said.contains(CONTAINER_NAME) && said.contains(ALREADY_IN_USE));
    }

    /** A removal that failed because another removal of the same container is under way. */
    static boolean removalInProgress(IOException failure) {
        return reason(failure) == Reason.REMOVAL_IN_PROGRESS;
    }

    /** A pull the registry refused: not logged in, wrong credentials, or a repository this user may not read. */
    static boolean registryRefused(DockerApiException failure) {
        String said = failure.daemonMessage().toLowerCase(Locale.ROOT);
        return failure.status() == 401
                || failure.status() == 403
                || REGISTRY_REFUSALS.stream().anyMatch(said::contains);
    }

    /** A network removal refused because containers are still attached to it. */
    static boolean activeEndpoints(IOException failure) {
        return failure instanceof DockerApiException refusal
                && refusal.daemonMessage().toLowerCase(Locale.ROOT).contains(ACTIVE_ENDPOINTS);
    }

    /** The thread was interrupted while it waited on the daemon (Ctrl-C, another service failed). */
    static boolean interrupted(IOException failure) {
        return failure instanceof ClosedByInterruptException
                || failure instanceof InterruptedIOException && !(failure instanceof SocketTimeoutException);
    }

    /**
     * The daemon did not answer, or stopped answering: refused or reset connections, timeouts
     * and stalls, a connection closed mid-answer; also when docker-java's client wraps them.
     */
    static boolean daemonGone(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SocketException
                    || cause instanceof SocketTimeoutException
                    || cause instanceof EOFException
                    || cause instanceof ClosedChannelException && !(cause instanceof ClosedByInterruptException)) {
                return true;
            }
        }
        return false;
    }

    /**
     * EACCES on the socket. Java reports it as a BindException (sic) or SocketException saying
     * "Permission denied", docker-java's client as an AccessDeniedException.
     */
    static boolean permissionDenied(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.nio.file.AccessDeniedException
                    || cause.getMessage() != null && cause.getMessage().contains("Permission denied")) {
                return true;
            }
        }
        return false;
    }

    /** The daemon's words for an error status ("HTTP 409: ..."), else the I/O failure's. */
    static String said(IOException failure) {
        return failure instanceof DockerApiException ? failure.getMessage() : DockerConnector.rootMessage(failure);
    }
}
