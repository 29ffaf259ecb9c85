package dev.cleanroom.plugins.ollama;

import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.spi.PluginLog;
import dev.cleanroom.plugins.modelserver.ByteSizes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Turns Ollama's pull progress (one NDJSON line per chunk, thousands per model) into a few log
 * lines: each phase once, and for each layer a line at every further 10 % or after 5 s of
 * silence, with bytes. Layers under 10 MB (license, template, params) get one line when done.
 */
final class PullProgress {

    static final Duration QUIET_PERIOD = Duration.ofSeconds(5);
    static final long SMALL_LAYER = 10_000_000;

    private final String model;
    private final PluginLog log;
    private final LongSupplier nanoClock;
    private final long begin;
    private final Map<String, Long> layerTotals = new LinkedHashMap<>();
    private String lastStatus = "";
    private String layer = "";
    private int layerPercent = -1;
    private long lastLineAt;

    PullProgress(String model, PluginLog log, LongSupplier nanoClock) {
        this.model = model;
        this.log = log;
        this.nanoClock = nanoClock;
        this.begin = nanoClock.getAsLong();
        this.lastLineAt = begin;
    }

    /** One progress line of POST /api/pull: {@code {"status":..,"total":..,"completed":..}}. */
    void accept(String status, long total, long completed) {
        if (total <= 0) {
            if (!status.equals(lastStatus) && !status.equals("success")) {
                line(status);
            }
            lastStatus = status;
            return;
        }
        lastStatus = status;
        layerTotals.put(status, total);
        int percent = (int) Math.min(100, Math.max(0, completed * 100 / total));
        boolean newLayer = !status.equals(layer);
        if (newLayer) {
            layer = status;
            layerPercent = -1;
        }
        boolean due;
        if (total < SMALL_LAYER) {
            due = percent == 100 && layerPercent < 100;
        } else {
            due = newLayer
                    || percent / 10 > layerPercent / 10
                    || (percent > layerPercent && nanoClock.getAsLong() - lastLineAt >= QUIET_PERIOD.toNanos());
        }
        if (due) {
            layerPercent = percent;
            line(status + ": " + percent + "% (" + ByteSizes.format(completed) + " of " + ByteSizes.format(total)
                    + ")");
        }
    }

    /** After {"status":"success"}. */
    void finished() {
        long bytes = layerTotals.values().stream().mapToLong(Long::longValue).sum();
        log.info("Pulled model " + model + " (" + ByteSizes.format(bytes) + ") in "
                + Durations.format(Duration.ofNanos(nanoClock.getAsLong() - begin)));
    }

    private void line(String text) {
        lastLineAt = nanoClock.getAsLong();
        log.info("Pulling model " + model + ": " + Objects.requireNonNull(text));
    }
}
