package dev.cleanroom.plugins.chaos;

import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code chaos_engine} service as read from its table, once, with every problem reported: the
 * keys, their reading, and what the engine needs before anything starts (images, targets).
 *
 * @param service the chaos service's own name
 * @param targets the services to disturb: those named in {@code targets}, else every other service
 *                of the file except other chaos_engine services
 * @param lossPercent packet loss on the targets' incoming packets, 0 for none
 * @param bandwidthKbit egress rate limit of the targets, 0 for none
 * @param cpuPercent load of each CPU worker, 0 for no CPU stress
 * @param memoryMb memory held by the stressor, 0 for no memory stress
 * @param diskWorkers disk I/O stress workers, each rewriting its own file with O_DIRECT; 0 for none
 * @param diskFileMb the size of each disk worker's file
 * @param duration how long one fault window lasts; empty: until the service stops
 * @param interval time between the starts of two windows; empty: one window only
 */
record ChaosSettings(
        String service,
        String image,
        String stressImage,
        List<String> targets,
        double lossPercent,
        long bandwidthKbit,
        long latencyMs,
        long jitterMs,
        LatencyMode mode,
        long cpuPercent,
        long cpuWorkers,
        long memoryMb,
        long diskWorkers,
        long diskFileMb,
        Duration startDelay,
        Optional<Duration> duration,
        Optional<Duration> interval)
        implements ServiceDefinition {

    /** How latency is added: netem where the kernel has it, else a delaying TCP proxy. */
    enum LatencyMode {
        AUTO,
        NETEM,
        PROXY
    }

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

    static final Key<String> IMAGE = Key.string("image")
            .byDefault(DEFAULT_IMAGE)
            .doc("Sidecar image with tc, ss, "
                    + "iptables, pkill and python3 (for latency by proxy), run in each target's network namespace; it gets "
                    + "NET_ADMIN (only with network faults) and nothing else");
    static final Key<String> STRESS_IMAGE = Key.string("stress_image")
            .byDefault(DEFAULT_STRESS_IMAGE)
            .doc("Image "
                    + "whose entrypoint is stress-ng: one container per target and window, in the target's cgroup, without "
                    + "network or capabilities, removed when the window closes");
    static final Key<List<String>> TARGETS = Key.strings("targets")
            .defaultDescribedAs("every other service but chaos_engine ones")
            .doc("Services to disturb; they are "
                    + "started and healthy before the faults begin. Left out, other chaos_engine services are not "
                    + "targets (two of them would wait for each other); name one here to disturb it");
    static final Key<Double> LOSS_PERCENT = Key.number("chaos.network.packet_loss_percent")
            .between(0.0, 100.0)
            .byDefault(0.0)
            .doc("Share of incoming packets dropped (0..100), by an iptables statistic rule in the target's "
                    + "network namespace");
    static final Key<Long> BANDWIDTH_KBIT = Key.integer("chaos.network.bandwidth_kbit")
            .between(1L, 10_000_000L)
            .defaultDescribedAs("no limit")
            .doc("Egress rate limit of the target in kbit/s (tbf)");
    static final Key<Long> LATENCY_MS = Key.integer("chaos.network.latency_ms")
            .between(0L, 60_000L)
            .byDefault(0L)
            .doc("Delay added to what the target sends (0..60000 ms)");
    static final Key<Long> JITTER_MS = Key.integer("chaos.network.jitter_ms")
            .between(0L, 60_000L)
            .byDefault(0L)
            .doc("Random variation of the delay, +- ms");
    static final Key<String> MODE = Key.string("chaos.network.mode")
            .byDefault("auto")
            .doc("How latency is added: "
                    + "netem (tc qdisc), proxy (a TCP proxy in the target's network namespace, fed by an iptables REDIRECT of "
                    + "its listening ports; needs python3 in the image), or auto (netem when the kernel has it)");
    static final Key<Long> CPU_PERCENT = Key.integer("chaos.cpu.stress_percent")
            .between(0L, 100L)
            .byDefault(0L)
            .doc("Load of each CPU worker (0..100), run in the target's cgroup");
    static final Key<Long> CPU_WORKERS =
            Key.integer("chaos.cpu.workers").between(1L, 64L).byDefault(1L).doc("CPU stress workers (1..64)");
    static final Key<Long> MEMORY_MB = Key.integer("chaos.memory.stress_mb")
            .between(0L, 1_048_576L)
            .byDefault(0L)
            .doc("MiB held by a stressor in the target's cgroup, within the target's memory limit");
    static final Key<Long> DISK_WORKERS = Key.integer("chaos.disk.io_workers")
            .between(0L, 16L)
            .byDefault(0L)
            .doc(
                    "Disk I/O stress workers (0..16) in the target's cgroup, each rewriting its own file in the sidecar with "
                            + "O_DIRECT (real device I/O, counted against the target's blkio limits)");
    static final Key<Long> DISK_FILE_MB = Key.integer("chaos.disk.file_mb")
            .between(1L, 4096L)
            .byDefault(64L)
            .doc("Size of each disk worker's file (1..4096 MiB); removed with the sidecar");
    static final Key<Duration> START_DELAY = Key.duration("chaos.start_delay")
            .byDefault(Duration.ZERO)
            .doc("Wait after the targets are ready before the first window");
    static final Key<Duration> DURATION = Key.duration("chaos.duration")
            .atLeast(Duration.ofMillis(1))
            .defaultDescribedAs("until the run stops")
            .doc("Length of one fault window");
    static final Key<Duration> INTERVAL = Key.duration("chaos.interval")
            .defaultDescribedAs("one window")
            .doc("Time between the starts of two windows; needs chaos.duration shorter than it");

    /** In reference order. */
    static final List<Key<?>> KEYS = List.of(
            IMAGE,
            STRESS_IMAGE,
            TARGETS,
            LOSS_PERCENT,
            BANDWIDTH_KBIT,
            LATENCY_MS,
            JITTER_MS,
            MODE,
            CPU_PERCENT,
            CPU_WORKERS,
            MEMORY_MB,
            DISK_WORKERS,
            DISK_FILE_MB,
            START_DELAY,
            DURATION,
            INTERVAL);

    private static final List<Key<? extends Number>> FAULTS =
            List.of(LOSS_PERCENT, BANDWIDTH_KBIT, LATENCY_MS, CPU_PERCENT, MEMORY_MB, DISK_WORKERS);

    ChaosSettings {
        targets = List.copyOf(targets);
    }

    boolean networkFaults() {
        return lossPercent > 0 || bandwidthKbit > 0 || latencyMs > 0;
    }

    boolean stressFaults() {
        return cpuPercent > 0 || memoryMb > 0 || diskWorkers > 0;
    }

    /** The sidecar, always; the stressor only when CPU, memory or disk stress is asked for. */
    @Override
    public List<String> images() {
        return stressFaults() ? List.of(image, stressImage) : List.of(image);
    }

    /** The targets: they must be ready before their sidecars can join them. */
    @Override
    public Set<String> implicitDependencies() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(targets));
    }

    /**
     * Never kept for the next build: the fault windows are this JVM's schedule, so a sidecar left
     * running would keep its target's fault on (a reused target with packet loss between builds)
     * and make the next build's rules collide with it. With reuse on, the end of the build
     * recovers the targets and removes the sidecars, as without; the targets are kept.
     */
    @Override
    public boolean reusableAcrossBuilds() {
        return false;
    }

    @Override
    public Service create(ServiceContext context) {
        return new ChaosEnginePlugin.ChaosService(this, context);
    }

    /** A problem found while reading, reported once every key is read. */
    private record Problem(Key<?> key, String message, String fix) {}

    static ChaosSettings read(Settings settings) {
        List<Problem> problems = new ArrayList<>();
        String service = settings.serviceName();
        String image = settings.get(IMAGE);
        if (image.isBlank()) {
            problems.add(new Problem(IMAGE, "must not be empty", "remove it to use " + DEFAULT_IMAGE));
        }
        String stressImage = settings.get(STRESS_IMAGE);
        if (stressImage.isBlank()) {
            problems.add(new Problem(STRESS_IMAGE, "must not be empty", "remove it to use " + DEFAULT_STRESS_IMAGE));
        }
        List<String> targets = targets(settings, problems);
        if (!isOff(settings, DISK_FILE_MB) && settings.has(DISK_FILE_MB) && isOff(settings, DISK_WORKERS)) {
            problems.add(new Problem(
                    DISK_FILE_MB,
                    "needs chaos.disk.io_workers",
                    "add chaos.disk.io_workers = 1, the workers that write files of this size"));
        }
        if (!isOff(settings, JITTER_MS) && isOff(settings, LATENCY_MS)) {
            problems.add(new Problem(
                    JITTER_MS,
                    "needs chaos.network.latency_ms",
                    "add chaos.network.latency_ms = 100, the delay the jitter varies around"));
        }
        LatencyMode mode = LatencyMode.AUTO;
        String modeText = settings.get(MODE);
        try {
            mode = LatencyMode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(
                    new Problem(MODE, "\"" + modeText + "\" is not a latency mode", "accepted: auto, netem, proxy"));
        }
        Optional<Duration> duration = settings.find(DURATION);
        Optional<Duration> interval = settings.find(INTERVAL);
        if (interval.isPresent()) {
            if (!settings.has(DURATION)) {
                problems.add(new Problem(
                        INTERVAL,
                        "needs chaos.duration",
                        "add chaos.duration shorter than the interval, e.g. chaos.duration = \"10s\""));
            } else if (duration.isPresent() && interval.get().compareTo(duration.get()) <= 0) {
                problems.add(new Problem(
                        INTERVAL,
                        "must be longer than chaos.duration (" + duration.get().toMillis() + "ms)",
                        "the faults are recovered between two windows"));
            }
        }
        if (problems.isEmpty() && FAULTS.stream().allMatch(key -> isOff(settings, key))) {
            // Reported at the first fault key: absent, it points at the service's table, where one is missing.
            problems.add(new Problem(
                    LATENCY_MS,
                    "no fault is configured",
                    "add e.g. chaos.network.latency_ms = 100, chaos.network.packet_loss_percent = 10, "
                            + "chaos.cpu.stress_percent = 50 or chaos.disk.io_workers = 1"));
        }
        problems.forEach(p -> settings.problem(p.key(), p.message(), p.fix()));
        return new ChaosSettings(
                service,
                image,
                stressImage,
                targets,
                settings.get(LOSS_PERCENT),
                settings.find(BANDWIDTH_KBIT).orElse(0L),
                settings.get(LATENCY_MS),
                settings.get(JITTER_MS),
                mode,
                settings.get(CPU_PERCENT),
                settings.get(CPU_WORKERS),
                settings.get(MEMORY_MB),
                settings.get(DISK_WORKERS),
                settings.get(DISK_FILE_MB),
                settings.get(START_DELAY),
                duration,
                interval);
    }

    /**
     * Absent, or set to 0. A value the engine refused (out of range, already reported) is not
     * off, so it does not draw a second problem such as "no fault is configured".
     */
    private static boolean isOff(Settings settings, Key<? extends Number> key) {
        return settings.find(key).map(value -> value.doubleValue() == 0).orElse(!settings.has(key));
    }

    /** The named targets, checked; else every other service of the file but other chaos services. */
    private static List<String> targets(Settings settings, List<Problem> problems) {
        String self = settings.serviceName();
        List<String> others = settings.serviceNames().stream()
                .filter(name -> !name.equals(self))
                .toList();
        if (!settings.has(TARGETS)) {
            List<String> targets = others.stream()
                    .filter(name -> !settings.typeOf(name).orElse("").equals(ChaosEnginePlugin.TYPE))
                    .toList();
            if (targets.isEmpty()) {
                problems.add(
                        others.isEmpty()
                                ? new Problem(
                                        TARGETS,
                                        "no service to disturb: the file has no other service",
                                        "add the service to disturb to the file")
                                : new Problem(
                                        TARGETS,
                                        "no service to disturb: the file's other services are chaos_engine "
                                                + "ones, which are targets only when named",
                                        "add the service to disturb to the file, " + "or name it: targets = [\""
                                                + others.get(0) + "\"]"));
            }
            return targets;
        }
        List<String> targets = settings.get(TARGETS);
        if (targets.isEmpty()) {
            problems.add(new Problem(
                    TARGETS,
                    "must not be empty",
                    "remove it to target every other service, or name them: targets = [\"api\"]"));
        }
        if (targets.contains(self)) {
            problems.add(new Problem(
                    TARGETS,
                    "a chaos service cannot target itself (\"" + self + "\")",
                    "name the services to disturb"));
        }
        if (new LinkedHashSet<>(targets).size() != targets.size()) {
            problems.add(new Problem(TARGETS, "names a service twice", "name each target once"));
        }
        for (String target : targets) {
            if (!target.equals(self) && !settings.serviceNames().contains(target)) {
                problems.add(new Problem(
                        TARGETS,
                        "unknown service \"" + target + "\"",
                        "accepted: the other services of this file: " + String.join(", ", others)));
            }
        }
        return targets;
    }
}
