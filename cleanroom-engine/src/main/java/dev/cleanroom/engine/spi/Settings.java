package dev.cleanroom.engine.spi;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * One service's values as written in the file, already checked against the plugin's
 * {@link Key}s: every value has its key's type and lies in its range. A plugin reads them once
 * in {@link ServicePlugin#define} and reports what the keys cannot express (formats, files that
 * must exist, combinations) through {@link #problem}.
 */
public interface Settings {

    /** The service's name ({@code [services.NAME]}). */
    String serviceName();

    /** Every service name of the file, e.g. to check a reference to another service. */
    Set<String> serviceNames();

    /**
     * The type another service of the file declares, e.g. so a fault injector can leave other
     * fault injectors out of its default targets; empty for an unknown name or a missing type.
     */
    Optional<String> typeOf(String serviceName);

    /** The directory of the TOML file: relative paths in values start here. */
    Path baseDirectory();

    /**
     * The value, or the key's default when absent. For a key with neither a default nor
     * {@link Key#required()}, use {@link #find}. A required key that is missing (already reported)
     * reads as an empty value, so a plugin can go on checking the others.
     */
    <T> T get(Key<T> key);

    /** The value as written; empty when the key is absent (or its value was refused). */
    <T> Optional<T> find(Key<T> key);

    /** Whether the file sets the key. */
    boolean has(Key<?> key);

    /**
     * Reports a problem at the key's line (the service's table when the key is absent). Write the
     * message as "what is wrong" and the fix as "what to write instead".
     */
    void problem(Key<?> key, String message, String fix);
}
