package dev.cleanroom.engine.internal.docker;

import java.net.SocketTimeoutException;

/** The daemon did not answer (or connect) within a call's bound; the message says where and what to check. */
public final class DockerTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    public DockerTimeoutException(String message) {
        super(message);
    }
}
