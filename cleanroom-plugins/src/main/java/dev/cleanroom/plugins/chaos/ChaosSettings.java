package dev.cleanroom.plugins.chaos;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code chaos_engine} service's settings, read from its {@link ServiceConfig} with every
 * problem collected, so validation and start share one reading.
 *
 * @param targets the services named in {@code targets}; empty means every other service
 * @param lossPercent packet loss on the targets' incoming packets, 0 for none
 * @param bandwidthKbit egress rate limit of the targets, 0 for none
 * @param cpuPercent load of each CPU worker, 0 for no CPU stress
 * @param memoryMb memory held by the stressor, 0 for no memory stress
 * @param diskWorkers disk I/O stress workers, each rewriting its own file with O_DIRECT; 0 for none
 * @param diskFileMb the size of each disk worker's file
 * @param duration how long one fault window lasts; empty: until the service stops
 * @param interval time between the starts of two windows; empty: one window only
 */
record ChaosSettings(String image, String stressImage, List<String> targets, double lossPercent, long bandwidthKbit, long latencyMs,
                     long jitterMs, LatencyMode mode, long cpuPercent,
                     long cpuWorkers, long memoryMb, long diskWorkers, long diskFileMb, Duration startDelay, Optional<Duration> duration,
                     Optional<Duration> interval) {

    /** How latency is added: netem where the kernel has it, else a delaying TCP proxy. */
    enum LatencyMode { AUTO, NETEM, PROXY }

    /**
     * The network sidecar: netshoot, pinned by tag, carries iproute2 (tc, ss), iptables, nftables,
     * busybox pkill and python3 (for the latency proxy) in one image, per its Dockerfile.
     */
    static final String DEFAULT_IMAGE = "nicolaka/netshoot:v0.13";

    /**
     * The stressor: Pumba's image, a scratch image whose entrypoint is a static stress-ng (pinned;
     * the tag other projects pin). Not pulled here (no registry): CI uses a local stand-in.
     */
    static final String DEFAULT_STRESS_IMAGE = "ghcr.io/alexei-led/stress-ng:0.20.01";

    static final long MAX_LATENCY_MS = 60_000;
    static final long MAX_BANDWIDTH_KBIT = 10_000_000;
    static final long MAX_MEMORY_MB = 1_048_576;
    static final long MAX_CPU_WORKERS = 64;
    static final long MAX_DISK_WORKERS = 16;
    static final long MAX_DISK_FILE_MB = 4096;
    static final long DEFAULT_DISK_FILE_MB = 64;

    ChaosSettings {
        targets = List.copyOf(targets);
    }

    boolean networkFaults() {
        return lossPercent > 0 || bandwidthKbit > 0 || latencyMs > 0;
    }

    boolean stressFaults() {
        return cpuPercent > 0 || memoryMb > 0 || diskWorkers > 0;
    }

    static ChaosSettings read(ServiceConfig config, List<ConfigProblem> problems) {
        String image = config.string("image", DEFAULT_IMAGE);
        if (image.isBlank()) {
            problems.add(config.problem("image", "must not be empty", "remove it to use " + DEFAULT_IMAGE));
        }
        String stressImage = config.string("stress_image", DEFAULT_STRESS_IMAGE);
        if (stressImage.isBlank()) {
            problems.add(config.problem("stress_image", "must not be empty", "remove it to use " + DEFAULT_STRESS_IMAGE));
        }
        List<String> targets = config.stringList("targets");
        if (config.has("targets") && targets.isEmpty()) {
            problems.add(config.problem("targets", "must not be empty",
                    "remove it to target every other service, or name them: targets = [\"api\"]"));
        }
        if (targets.contains(config.name())) {
            problems.add(config.problem("targets", "a chaos service cannot target itself (\"" + config.name() + "\")",
                    "name the services to disturb"));
        }
        if (new LinkedHashSet<>(targets).size() != targets.size()) {
            problems.add(config.problem("targets", "names a service twice", "name each target once"));
        }
        double loss = config.number("chaos.network.packet_loss_percent").orElse(0.0);
        if (loss < 0 || loss > 100 || Double.isNaN(loss)) {
            problems.add(config.problem("chaos.network.packet_loss_percent", format(loss) + " is outside 0..100",
                    "write a percentage, e.g. chaos.network.packet_loss_percent = 10"));
        }
        long bandwidth = range(config, "chaos.network.bandwidth_kbit", 0, 1, MAX_BANDWIDTH_KBIT, "kbit/s",
                "chaos.network.bandwidth_kbit = 1024", problems);
        long cpu = range(config, "chaos.cpu.stress_percent", 0, 0, 100, "percent of one CPU per worker",
                "chaos.cpu.stress_percent = 50", problems);
        long workers = range(config, "chaos.cpu.workers", 1, 1, MAX_CPU_WORKERS, "workers",
                "chaos.cpu.workers = 2", problems);
        long memory = range(config, "chaos.memory.stress_mb", 0, 0, MAX_MEMORY_MB, "MiB",
                "chaos.memory.stress_mb = 512", problems);
        long diskWorkers = range(config, "chaos.disk.io_workers", 0, 0, MAX_DISK_WORKERS, "workers",
                "chaos.disk.io_workers = 2", problems);
        long diskFileMb = range(config, "chaos.disk.file_mb", DEFAULT_DISK_FILE_MB, 1, MAX_DISK_FILE_MB, "MiB",
                "chaos.disk.file_mb = 64", problems);
        if (config.has("chaos.disk.file_mb") && config.integer("chaos.disk.io_workers", 0) == 0) {
            problems.add(config.problem("chaos.disk.file_mb", "needs chaos.disk.io_workers",
                    "add chaos.disk.io_workers = 1, the workers that write files of this size"));
        }
        long latency = range(config, "chaos.network.latency_ms", 0, 0, MAX_LATENCY_MS, "milliseconds",
                "chaos.network.latency_ms = 100", problems);
        long jitter = range(config, "chaos.network.jitter_ms", 0, 0, MAX_LATENCY_MS, "milliseconds",
                "chaos.network.jitter_ms = 20", problems);
        if (jitter > 0 && latency == 0) {
            problems.add(config.problem("chaos.network.jitter_ms", "needs chaos.network.latency_ms",
                    "add chaos.network.latency_ms = 100, the delay the jitter varies around"));
        }
        LatencyMode mode = LatencyMode.AUTO;
        String modeText = config.string("chaos.network.mode", "auto");
        try {
            mode = LatencyMode.valueOf(modeText.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(config.problem("chaos.network.mode", "\"" + modeText + "\" is not a latency mode",
                    "accepted: auto, netem, proxy"));
        }
        Optional<Duration> duration = config.duration("chaos.duration");
        Optional<Duration> interval = config.duration("chaos.interval");
        if (duration.isPresent() && duration.get().isZero()) {
            problems.add(config.problem("chaos.duration", "must be more than 0",
                    "remove it to keep the faults until the service stops, or write chaos.duration = \"30s\""));
        }
        if (interval.isPresent()) {
            if (duration.isEmpty()) {
                problems.add(config.problem("chaos.interval", "needs chaos.duration",
                        "add chaos.duration shorter than the interval, e.g. chaos.duration = \"10s\""));
            } else if (interval.get().compareTo(duration.get()) <= 0) {
                problems.add(config.problem("chaos.interval", "must be longer than chaos.duration ("
                        + duration.get().toMillis() + "ms)", "the faults are recovered between two windows"));
            }
        }
        if (problems.isEmpty() && loss == 0 && bandwidth == 0 && latency == 0 && cpu == 0 && memory == 0
                && diskWorkers == 0) {
            problems.add(config.problem("", "no fault is configured",
                    "add e.g. chaos.network.latency_ms = 100, chaos.network.packet_loss_percent = 10, "
                            + "chaos.cpu.stress_percent = 50 or chaos.disk.io_workers = 1"));
        }
        return new ChaosSettings(image, stressImage, targets, loss, bandwidth, latency, jitter, mode, cpu, workers, memory,
                diskWorkers, diskFileMb, config.duration("chaos.start_delay", Duration.ZERO), duration, interval);
    }

    private static long range(ServiceConfig config, String key, long fallback, long min, long max, String unit,
                              String example, List<ConfigProblem> problems) {
        long value = config.integer(key, fallback);
        if (config.has(key) && (value < min || value > max)) {
            problems.add(config.problem(key, value + " is outside " + min + ".." + max + " (" + unit + ")",
                    "write e.g. " + example));
            return fallback;
        }
        return value;
    }

    private static String format(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** Every target must be another service of the same file; run before anything starts. */
    static void checkTargetsExist(ServiceConfig config, List<String> targets, Set<String> known,
                                  List<ConfigProblem> problems) {
        for (String target : targets) {
            if (!known.contains(target)) {
                List<String> others = new ArrayList<>(known);
                others.remove(config.name());
                problems.add(config.problem("targets", "unknown service \"" + target + "\"",
                        "accepted: the other services of this file: " + String.join(", ", others)));
            }
        }
    }
}
