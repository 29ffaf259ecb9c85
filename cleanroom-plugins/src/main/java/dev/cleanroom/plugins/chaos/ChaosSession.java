package dev.cleanroom.plugins.chaos;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.spi.PluginLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The faults of one running {@code chaos_engine} service: its sidecars (one per target), the
 * state of each target before the first window, and the timer that opens and closes windows.
 * Apply and recover are serialized, and recover is safe to call any number of times.
 */
final class ChaosSession {

    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STRESS_SETTLE = Duration.ofMillis(300);

    /** One disturbed service and the sidecar that reaches into it. */
    static final class Target {
        final String name;
        final String containerId;
        final String sidecarId;
        /** The stressor of the open window, if any. */
        String stressId;

        String device = "eth0";
        String iptablesBefore = "";
        String stateBefore = "";
        String stateAfter = "";

        Target(String name, String containerId, String sidecarId) {
            this.name = name;
            this.containerId = containerId;
            this.sidecarId = sidecarId;
        }
    }

    private final String service;
    private final ChaosSettings settings;
    private final ContainerBackend backend;
    private final PluginLog log;
    private final List<Target> targets;
    private static final Duration PROXY_START_WAIT = Duration.ofSeconds(5);

    private ChaosSettings.LatencyMode latencyMode = ChaosSettings.LatencyMode.AUTO;
    private String latencyReason = "";
    private ScheduledExecutorService timer;
    private boolean active;
    private int windows;
    private boolean stopped;

    ChaosSession(ChaosSettings settings, ContainerBackend backend, PluginLog log, List<Target> targets) {
        this.service = settings.service();
        this.settings = settings;
        this.backend = backend;
        this.log = log;
        this.targets = List.copyOf(targets);
    }

    List<Target> targets() {
        return targets;
    }

    synchronized boolean active() {
        return active;
    }

    /** "netem" or "proxy" once decided, with why; "none" without latency. */
    synchronized String latencyMode() {
        return settings.latencyMs() == 0 ? "none" : latencyMode.name().toLowerCase(java.util.Locale.ROOT);
    }

    synchronized String latencyReason() {
        return latencyReason;
    }

    synchronized int windows() {
        return windows;
    }

    /** Records each target's state, then opens the first window now or on the timer. */
    synchronized void begin() throws CleanroomException {
        for (Target target : targets) {
            if (settings.networkFaults()) {
                target.device = ChaosCommands.deviceOf(
                        run(target, ChaosCommands.defaultRoute()).stdout());
                target.iptablesBefore = iptables(target);
                target.stateBefore = networkState(target, target.iptablesBefore);
                if (removeLeftovers(target, target.stateBefore)) {
                    target.iptablesBefore = iptables(target);
                    target.stateBefore = networkState(target, target.iptablesBefore);
                }
            }
        }
        if (settings.latencyMs() > 0) {
            chooseLatencyMode(targets.get(0));
        }
        boolean scheduled =
                !settings.startDelay().isZero() || settings.duration().isPresent();
        if (settings.startDelay().isZero()) {
            apply();
        }
        if (scheduled) {
            schedule();
        }
    }

    /**
     * Removes the faults (seen in {@link #networkState}) that a build killed during a window left
     * on a target kept for reuse, since no stop ran to recover them; else this window would fail
     * with "Chain already exists" and compare against a disturbed state. Only the chaos sidecar
     * gets NET_ADMIN, so our chains and a netem or tbf root qdisc in the target's namespace can
     * only be a chaos window's.
     */
    private boolean removeLeftovers(Target target, String networkState) throws CleanroomException {
        boolean loss = networkState.contains(":" + ChaosCommands.CHAIN + " ");
        boolean redirect = networkState.contains(":" + ChaosCommands.LATENCY_CHAIN + " ");
        boolean shaping = networkState.contains("qdisc netem ") || networkState.contains("qdisc tbf ");
        List<String> found = new ArrayList<>();
        if (loss) {
            for (List<String> argv : ChaosCommands.removeLoss()) {
                run(target, argv);
            }
            found.add("its loss chain");
        }
        if (redirect) {
            for (List<String> argv : ChaosCommands.removeRedirect()) {
                run(target, argv);
            }
            found.add("its latency proxy's redirect");
        }
        if (shaping) {
            check(target, ChaosCommands.removeBandwidth(target.device));
            found.add("its netem/tbf qdisc");
        }
        if (found.isEmpty()) {
            return false;
        }
        log.warn("Chaos " + service + ": removed the faults a killed build left on " + target.name + " ("
                + String.join(", ", found) + ") before the first window");
        return true;
    }

    /** auto: netem when the kernel has it (probed on loopback and removed at once), else the proxy. */
    private void chooseLatencyMode(Target target) throws CleanroomException {
        switch (settings.mode()) {
            case NETEM -> {
                latencyMode = ChaosSettings.LatencyMode.NETEM;
                latencyReason = "chaos.network.mode = \"netem\"";
            }
            case PROXY -> {
                latencyMode = ChaosSettings.LatencyMode.PROXY;
                latencyReason = "chaos.network.mode = \"proxy\"";
            }
            default -> {
                ExecResult probe = run(target, ChaosCommands.addNetem("lo", 0, 0, 0));
                if (probe.exitCode() == 0) {
                    run(target, ChaosCommands.removeBandwidth("lo"));
                    latencyMode = ChaosSettings.LatencyMode.NETEM;
                    latencyReason = "the kernel has sch_netem";
                } else {
                    latencyMode = ChaosSettings.LatencyMode.PROXY;
                    latencyReason =
                            "netem is not available here (tc: " + (probe.stderr() + probe.stdout()).trim() + ")";
                }
            }
        }
        log.info("Chaos " + service + ": latency by " + latencyMode() + " because " + latencyReason);
    }

    private boolean netem() {
        return settings.latencyMs() > 0 && latencyMode == ChaosSettings.LatencyMode.NETEM;
    }

    private boolean proxy() {
        return settings.latencyMs() > 0 && latencyMode == ChaosSettings.LatencyMode.PROXY;
    }

    private void schedule() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cleanroom-chaos-" + service);
            thread.setDaemon(true);
            return thread;
        });
        long delay = settings.startDelay().toMillis();
        if (delay > 0) {
            timer.schedule(this::applyQuietly, delay, TimeUnit.MILLISECONDS);
        }
        settings.duration().ifPresent(duration -> {
            long end = delay + duration.toMillis();
            if (settings.interval().isPresent()) {
                long every = settings.interval().get().toMillis();
                timer.scheduleAtFixedRate(this::recoverQuietly, end, every, TimeUnit.MILLISECONDS);
                timer.scheduleAtFixedRate(this::applyQuietly, delay + every, every, TimeUnit.MILLISECONDS);
            } else {
                timer.schedule(this::recoverQuietly, end, TimeUnit.MILLISECONDS);
            }
        });
    }

    synchronized void apply() throws CleanroomException {
        if (active || stopped) {
            return;
        }
        active = true;
        windows++;
        try {
            for (Target target : targets) {
                applyTo(target);
            }
        } catch (CleanroomException | RuntimeException e) {
            recover();
            throw e;
        }
        log.info("Chaos " + service + ": window " + windows + " opened on " + names() + " (" + describe() + ")");
    }

    private void applyTo(Target target) throws CleanroomException {
        if (settings.lossPercent() > 0) {
            for (List<String> argv : ChaosCommands.addLoss(settings.lossPercent())) {
                check(target, argv);
            }
        }
        if (netem()) {
            check(
                    target,
                    ChaosCommands.addNetem(
                            target.device, settings.latencyMs(), settings.jitterMs(), settings.bandwidthKbit()));
        } else if (settings.bandwidthKbit() > 0) {
            check(target, ChaosCommands.addBandwidth(target.device, settings.bandwidthKbit()));
        }
        if (proxy()) {
            startProxy(target);
        }
        if (settings.stressFaults()) {
            startStress(target);
        }
    }

    private void startStress(Target target) throws CleanroomException {
        Duration safety = settings.duration().map(d -> d.plusSeconds(5)).orElse(Duration.ofHours(24));
        try {
            target.stressId = backend.startContainer(ChaosEnginePlugin.stressSpec(settings, target.containerId, safety))
                    .id();
        } catch (CleanroomException e) {
            if (e.reason() == CleanroomException.Reason.UNSUPPORTED) {
                // Docker refuses a cgroup parent that is not a slice under the systemd driver.
                throw new CleanroomException(
                        CleanroomException.Reason.UNSUPPORTED,
                        "chaos on " + target.name
                                + ": CPU, memory and disk stress run in the target's cgroup, which needs Docker's cgroupfs "
                                + "cgroup driver; this daemon uses systemd (docker info: Cgroup Driver). "
                                + e.getMessage(),
                        e);
            }
            throw e;
        }
        // A bad argument or a filesystem without O_DIRECT ends stress-ng at once: look before calling it open.
        sleep(STRESS_SETTLE.toMillis());
        if (!backend.isRunning(target.stressId)) {
            String logs = backend.logs(target.stressId, 20).strip();
            throw new CleanroomException("chaos on " + target.name + ": the stressor (" + settings.stressImage()
                    + " " + String.join(" ", ChaosCommands.stressArguments(settings, safety)) + ") exited at once"
                    + (logs.isEmpty() ? "" : ":\n    | " + String.join("\n    | ", logs.split("\r?\n"))));
        }
    }

    private void startProxy(Target target) throws CleanroomException {
        List<Integer> ports = ChaosCommands.servedPorts(
                check(target, ChaosCommands.listeningTcp()).stdout());
        if (ports.isEmpty()) {
            throw new CleanroomException(
                    "chaos on " + target.name + ": latency in proxy mode delays TCP connections to "
                            + "the target's ports, and it listens on none (besides loopback)");
        }
        check(target, ChaosCommands.startProxy(LatencyProxy.script(), settings.latencyMs(), settings.jitterMs()));
        long deadline = System.nanoTime() + PROXY_START_WAIT.toNanos();
        while (!check(target, ChaosCommands.listeningTcp()).stdout().contains(":" + ChaosCommands.PROXY_PORT + " ")) {
            if (System.nanoTime() > deadline) {
                throw new CleanroomException("chaos on " + target.name + ": the latency proxy did not listen on port "
                        + ChaosCommands.PROXY_PORT + " within " + PROXY_START_WAIT.toSeconds() + "s (does the image "
                        + settings.image() + " have python3?)");
            }
            sleep(100);
        }
        for (List<String> argv : ChaosCommands.addRedirect(ports)) {
            check(target, argv);
        }
        log.info("Chaos " + service + ": " + target.name + " ports " + ports + " go through the latency proxy");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes every rule, qdisc and process the window added; failures are logged, never thrown. */
    synchronized void recover() {
        if (!active) {
            return;
        }
        active = false;
        for (Target target : targets) {
            try {
                recoverTarget(target);
            } catch (CleanroomException | RuntimeException e) {
                log.warn("Chaos " + service + ": could not fully recover " + target.name + ": " + e.getMessage());
            }
        }
        log.info("Chaos " + service + ": window " + windows + " closed, " + names() + " recovered");
    }

    private void recoverTarget(Target target) throws CleanroomException {
        stopStress(target);
        if (settings.lossPercent() > 0) {
            for (List<String> argv : ChaosCommands.removeLoss()) {
                run(target, argv);
            }
            if (ChaosCommands.filterTable(target.iptablesBefore).isEmpty()
                    && ChaosCommands.filterTable(iptables(target)).equals(ChaosCommands.EMPTY_FILTER_TABLE)) {
                ExecResult dropped = run(target, ChaosCommands.dropEmptyFilterTable());
                if (dropped.exitCode() != 0) {
                    log.info("Chaos " + service + ": left an empty iptables filter table in " + target.name
                            + " (no rules, no effect): " + (dropped.stderr() + dropped.stdout()).trim());
                }
            }
        }
        if (proxy()) {
            for (List<String> argv : ChaosCommands.removeRedirect()) {
                run(target, argv);
            }
            run(target, ChaosCommands.stopProxy());
            if (ChaosCommands.table(target.iptablesBefore, "nat").isEmpty()
                    && ChaosCommands.table(iptables(target), "nat").equals(ChaosCommands.EMPTY_NAT_TABLE)) {
                run(target, ChaosCommands.dropTable("nat"));
            }
        }
        if (settings.bandwidthKbit() > 0 || netem()) {
            run(target, ChaosCommands.removeBandwidth(target.device));
        }
        if (settings.networkFaults()) {
            target.stateAfter = networkState(target, iptables(target));
            if (!target.stateAfter.equals(target.stateBefore)) {
                log.warn("Chaos " + service + ": the network state of " + target.name
                        + " differs from before the faults.\nBefore:\n" + target.stateBefore + "After:\n"
                        + target.stateAfter);
            }
        }
        if (!backend.isRunning(target.containerId)) {
            log.warn("Chaos " + service + ": target " + target.name + " is no longer running");
        }
    }

    private void stopStress(Target target) throws CleanroomException {
        if (target.stressId != null) {
            String stressId = target.stressId;
            target.stressId = null;
            backend.stopContainer(stressId);
        }
    }

    /** Stops the timer and recovers; the session cannot be applied again. */
    void stop() {
        ScheduledExecutorService current;
        synchronized (this) {
            stopped = true;
            current = timer;
        }
        if (current != null) {
            current.shutdownNow();
        }
        recover();
    }

    private String iptables(Target target) throws CleanroomException {
        return ChaosCommands.normalizeIptables(
                check(target, ChaosCommands.iptablesSave()).stdout());
    }

    /** The target's iptables rules and qdiscs, as compared before and after the faults. */
    private String networkState(Target target, String iptables) throws CleanroomException {
        return "iptables:\n" + iptables + "qdisc:\n"
                + check(target, ChaosCommands.qdiscShow(target.device)).stdout().replaceAll("(?m)\\s+$", "") + "\n";
    }

    private void applyQuietly() {
        try {
            apply();
        } catch (CleanroomException | RuntimeException e) {
            log.warn("Chaos " + service + ": could not open window " + windows + ": " + e.getMessage());
        }
    }

    private void recoverQuietly() {
        recover();
    }

    private String names() {
        return String.join(", ", targets.stream().map(t -> t.name).toList());
    }

    private String describe() {
        List<String> parts = new ArrayList<>();
        if (settings.lossPercent() > 0) {
            parts.add("packet loss " + settings.lossPercent() + "% (iptables statistic)");
        }
        if (settings.latencyMs() > 0) {
            parts.add(
                    "latency " + settings.latencyMs() + "ms +- " + settings.jitterMs() + "ms (" + latencyMode() + ")");
        }
        if (settings.bandwidthKbit() > 0) {
            parts.add("bandwidth " + settings.bandwidthKbit() + " kbit/s (tbf)");
        }
        if (settings.cpuPercent() > 0) {
            parts.add("CPU " + settings.cpuPercent() + "% x " + settings.cpuWorkers() + " worker(s)");
        }
        if (settings.memoryMb() > 0) {
            parts.add("memory " + settings.memoryMb() + " MiB");
        }
        if (settings.diskWorkers() > 0) {
            parts.add(
                    "disk I/O " + settings.diskWorkers() + " worker(s) x " + settings.diskFileMb() + " MiB (O_DIRECT)");
        }
        return String.join(", ", parts);
    }

    private ExecResult run(Target target, List<String> argv) throws CleanroomException {
        return backend.exec(target.sidecarId, ExecRequest.of(argv, EXEC_TIMEOUT));
    }

    private ExecResult check(Target target, List<String> argv) throws CleanroomException {
        ExecResult result = run(target, argv);
        if (result.exitCode() != 0) {
            throw new CleanroomException(
                    "chaos on " + target.name + ": " + String.join(" ", argv) + " failed with exit code "
                            + result.exitCode() + ": " + (result.stderr() + result.stdout()).trim());
        }
        return result;
    }
}
