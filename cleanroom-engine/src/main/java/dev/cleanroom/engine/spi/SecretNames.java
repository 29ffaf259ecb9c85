package dev.cleanroom.engine.spi;

import java.util.regex.Pattern;

/**
 * The one rule for "this name holds a secret", shared by the engine's masking of environment
 * variables and map entries and by plugins that must keep such values out of files they write
 * (e.g. the collector's forwarding headers). Over-matching only masks a harmless value; missing
 * a secret prints it, so the rule errs wide.
 */
public final class SecretNames {

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(pass|secret|token|credential|api[-_]?key|private|authorization|cookie).*");

    private SecretNames() {}

    /** Whether a variable, header or map key of this name is treated as holding a secret. */
    public static boolean looksSecret(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }
}
