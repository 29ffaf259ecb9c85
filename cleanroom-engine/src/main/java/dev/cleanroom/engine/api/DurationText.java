package dev.cleanroom.engine.api;

import dev.cleanroom.engine.spi.Durations;
import java.time.Duration;
import java.util.Optional;

/**
 * Durations as users write them, in files and in build parameters alike ({@code 250ms},
 * {@code 5s}, {@code 2m}, {@code 1h}), for adapters that read such parameters.
 */
public final class DurationText {

    private DurationText() {}

    /** The duration the text names; empty when it names none (the adapter explains the format). */
    public static Optional<Duration> parse(String text) {
        return Durations.parse(text);
    }
}
