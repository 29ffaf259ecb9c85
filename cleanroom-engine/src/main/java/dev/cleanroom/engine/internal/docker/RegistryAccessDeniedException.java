package dev.cleanroom.engine.internal.docker;

import java.io.IOException;

/**
 * A registry refused a pull (401/403, "unauthorized", "denied"). The message is for users as it
 * is: it names the image, the registry and the credentials' source, never a secret.
 */
public final class RegistryAccessDeniedException extends IOException {
    private static final long serialVersionUID = 1L;

    RegistryAccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
