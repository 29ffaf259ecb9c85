package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lock two builds take before they start (or adopt) the reused services of one file, held
 * on the daemon: a container named {@link ReuseScope#lockName()}, created and never started,
 * labelled with its owner. Creating a named container is atomic on the daemon, so this works for
 * builds in other containers or on other hosts sharing it, where a lock file would not. A second
 * build waits (with a progress line) until the first is done and then adopts what it started; a
 * holder whose process is gone (the sweep's owner check) is broken. Released when the start is
 * done, and at JVM shutdown.
 */
final class ReuseLock implements AutoCloseable {

    /** How often a waiting build asks again; the holder keeps the lock until its slowest service is healthy. */
    static final Duration POLL = Duration.ofMillis(200);
    /** How often a waiting build says it still waits. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final ContainerRuntime runtime;
    private final String lockId;
    private final String name;
    private final EngineLog log;
    private final Thread shutdownHook;
    private boolean released;

    private ReuseLock(ContainerRuntime runtime, String lockId, String name, EngineLog log) {
        this.runtime = runtime;
        this.lockId = lockId;
        this.name = name;
        this.log = log;
        this.shutdownHook = new Thread(this::removeQuietly, "cleanroom-reuse-lock-" + name);
    }

    /**
     * Takes the lock of {@code scope}, waiting up to {@code wait} for another build to release it.
     * {@code image} is one the daemon has or can pull: the lock container is created from it.
     */
    static ReuseLock acquire(ContainerRuntime runtime, ReuseScope scope, String image, Duration wait, EngineLog log)
            throws CleanroomException {
        ContainerSpec spec = ContainerSpec.builder(image)
                .name(scope.lockName())
                // Never started; a command is given so that images without one can be created too.
                .command(List.of("cleanroom-lock"))
                .labels(Map.of(
                        Labels.LOCK, scope.key(),
                        Labels.OWNER, Labels.currentOwner(),
                        Labels.PROJECT, scope.project(),
                        Labels.FILE, scope.relativeFile()))
                .build();
        long begin = System.nanoTime();
        long lastProgress = begin;
        String lastHolder = null;
        while (true) {
            Optional<String> created = runtime.createNamed(spec);
            if (created.isPresent()) {
                ReuseLock lock = new ReuseLock(runtime, created.get(), scope.lockName(), log);
                Runtime.getRuntime().addShutdownHook(lock.shutdownHook);
                if (lastHolder != null) {
                    log.info("Waited " + Durations.format(Duration.ofNanos(System.nanoTime() - begin))
                            + " for build " + lastHolder + " to start the reused services of " + scope.relativeFile()
                            + "; it is done, so this build adopts what it left running");
                }
                return lock;
            }
            Optional<ContainerRuntime.LabeledResource> holder = holderOf(runtime, scope);
            if (holder.isEmpty()) {
                continue; // released between our create and our look: try again at once
            }
            String owner = holder.get().labels().getOrDefault(Labels.OWNER, "unknown");
            if (Labels.isDeadOwner(owner)) {
                log.warn("Breaking the reuse lock " + scope.lockName() + ": the build that held it (" + owner
                        + ") is gone");
                runtime.removeContainer(holder.get().id(), Duration.ZERO);
                continue;
            }
            long now = System.nanoTime();
            Duration waited = Duration.ofNanos(now - begin);
            if (waited.compareTo(wait) >= 0) {
                throw new CleanroomException("Timed out after " + Durations.format(wait)
                        + " waiting for the reuse lock of " + scope.relativeFile() + " (container " + scope.lockName()
                        + "), held by build " + owner + ". If that build is gone, remove the lock with: docker rm -f "
                        + scope.lockName() + "; or wait longer with -Dcleanroom.reuse.lockWait=5m");
            }
            if (lastHolder == null || now - lastProgress >= PROGRESS_EVERY.toNanos()) {
                log.info("Waiting for build " + owner + ", which is starting the reused services of "
                        + scope.relativeFile() + " (lock " + scope.lockName() + ", " + Durations.format(waited)
                        + " so far, at most " + Durations.format(wait) + ")");
                lastProgress = now;
            }
            lastHolder = owner;
            sleep(POLL);
        }
    }

    /** The lock container of {@code scope} when a build holds it. */
    static Optional<ContainerRuntime.LabeledResource> holderOf(ContainerRuntime runtime, ReuseScope scope)
            throws CleanroomException {
        return runtime.findContainers(Labels.LOCK).stream()
                .filter(c -> scope.key().equals(c.labels().get(Labels.LOCK)))
                .findFirst();
    }

    private static void sleep(Duration duration) throws CleanroomException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CleanroomException(
                    CleanroomException.Reason.INTERRUPTED, "Interrupted while waiting for the reuse lock");
        }
    }

    /** Releases the lock: the next build may start or adopt. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The JVM is shutting down: the hook removes the lock.
        }
    }

    private synchronized void removeQuietly() {
        if (released) {
            return;
        }
        released = true;
        try {
            runtime.removeContainer(lockId, Duration.ZERO);
        } catch (CleanroomException e) {
            log.warn("Could not release the reuse lock " + name + " (" + e.getMessage()
                    + "); the next build breaks it once this one has ended, or remove it with: docker rm -f " + name);
        }
    }
}
