package dev.cleanroom.plugins.modelserver;

import java.util.Locale;
import java.util.Optional;

/** What a model server does about GPUs: {@code gpu = "auto" | "on" | "off"}. */
public enum GpuMode {
    /** Ask the daemon for GPUs; when it cannot give them, run on CPU (where the server can) and say so. */
    AUTO,
    /** GPUs or nothing: a daemon that cannot give them fails the start. */
    ON,
    /** Never ask for GPUs. */
    OFF;

    public static Optional<GpuMode> parse(String text) {
        return switch (text) {
            case "auto" -> Optional.of(AUTO);
            case "on" -> Optional.of(ON);
            case "off" -> Optional.of(OFF);
            default -> Optional.empty();
        };
    }

    /** As users write it: {@code auto}, {@code on}, {@code off}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
