package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerState;
import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.WaitPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Waits for one started service to become healthy, as its {@link WaitPolicy} says: inspects the
 * container before each check (an exited container fails at once, with its log), says every
 * {@link #PROGRESS_EVERY} that it is still waiting, and gives up when another service failed.
 */
final class HealthWait {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final ContainerRuntime runtime;
    private final EngineLog log;
    private final StartFailures failures;
    /** Set once any service of the run failed (or the run is being removed): every wait stops. */
    private final AtomicBoolean aborted;

    HealthWait(ContainerRuntime runtime, EngineLog log, StartFailures failures, AtomicBoolean aborted) {
        this.runtime = runtime;
        this.log = log;
        this.failures = failures;
        this.aborted = aborted;
    }

    void await(WaitPolicy policy, Service service, ServiceConfig config, ScopedBackend backend, ServiceHandle handle)
            throws ServiceStartException {
        long begin = System.nanoTime();
        long deadline = begin + policy.timeout().toNanos();
        long nextProgress = begin + PROGRESS_EVERY.toNanos();
        int failuresInRow = 0;
        HealthStatus last = HealthStatus.notYet("no check ran yet");
        while (true) {
            if (aborted.get()) {
                throw new AbortedStart(config.name(), "another service failed");
            }
            ContainerState state = inspect(config, backend, handle);
            if (!state.running()) {
                throw failures.failure(
                        config, backend, state.describe() + " while starting", handle.containerId(), null);
            }
            try {
                last = service.checkHealth();
            } catch (CleanroomException | RuntimeException e) {
                // A container that exits between the inspect and the check fails the check (e.g. "is not
                // running" from exec); its exit is the reason to report, not the check's error.
                ContainerState after = inspect(config, backend, handle);
                if (!after.running()) {
                    throw failures.failure(
                            config, backend, after.describe() + " while starting", handle.containerId(), null);
                }
                throw failures.failure(
                        config, backend, "failed its health check: " + e.getMessage(), handle.containerId(), e);
            }
            if (last.isHealthy()) {
                return;
            }
            failuresInRow++;
            long now = System.nanoTime();
            if (policy.maxFailures() > 0 && failuresInRow >= policy.maxFailures()) {
                throw failures.failure(
                        config,
                        backend,
                        "failed " + failuresInRow + " health checks in a row (last: "
                                + last.detail() + ")"
                                + (last.dialled().isEmpty()
                                        ? ""
                                        : ". " + runtime.reach().dialHint(last.dialled())),
                        handle.containerId(),
                        null);
            }
            if (now >= deadline && !last.dialled().isEmpty()) {
                throw failures.failure(
                        config,
                        backend,
                        "could not be reached within " + Durations.format(policy.timeout()) + " (last check: "
                                + last.detail() + "). " + runtime.reach().dialHint(last.dialled()),
                        handle.containerId(),
                        null);
            }
            if (now >= deadline) {
                throw failures.failure(
                        config,
                        backend,
                        "did not become healthy within "
                                + Durations.format(policy.timeout()) + " (last check: " + last.detail()
                                + "). Perhaps you should "
                                + "raise its start timeout, or check its health check",
                        handle.containerId(),
                        null);
            }
            if (now >= nextProgress) {
                log.info("Still waiting for " + config.name() + " after "
                        + Durations.format(Duration.ofNanos(now - begin)) + " (last check: " + last.detail() + ")");
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            try {
                Thread.sleep(Math.min(policy.interval().toMillis(), Math.max(1, (deadline - now) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AbortedStart(config.name(), "interrupted");
            }
        }
    }

    private ContainerState inspect(ServiceConfig config, ScopedBackend backend, ServiceHandle handle)
            throws ServiceStartException {
        try {
            return backend.inspect(handle.containerId());
        } catch (CleanroomException e) {
            throw failures.failure(config, backend, "could not be inspected: " + e.getMessage(), null, e);
        }
    }
}
