package dev.cleanroom.engine.api;

import java.util.Objects;

/**
 * A username and password for a registry, from the build tool's own settings (Maven's
 * settings.xml {@code <server>}, its password already decrypted). Never printed: toString hides
 * both, so the login cannot reach a log or an exception text by accident.
 */
public record RegistryLogin(String username, String password) {

    public RegistryLogin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "RegistryLogin[username=****, password=****]";
    }
}
