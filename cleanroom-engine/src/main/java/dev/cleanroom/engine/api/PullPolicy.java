package dev.cleanroom.engine.api;

import java.util.Locale;
import java.util.Optional;

/**
 * When a service's image is pulled: {@code pull = "missing" | "always" | "never"} in a file, or
 * {@code cleanroom.pull} for a whole build (which wins over the files).
 */
public enum PullPolicy {

    /** Pull only an image the daemon lacks (the default). */
    MISSING,

    /** Pull before every run, so a moved tag is seen; the log says whether the digest changed. */
    ALWAYS,

    /** Never pull: an image the daemon lacks fails the run before any container starts. */
    NEVER;

    /** The policy a user wrote ({@code "never"}, any case), or empty for anything else. */
    public static Optional<PullPolicy> parse(String text) {
        for (PullPolicy policy : values()) {
            if (policy.key().equalsIgnoreCase(text.strip())) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    /** As users write it: {@code missing}, {@code always}, {@code never}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
