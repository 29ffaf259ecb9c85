package dev.cleanroom.maven;

import dev.cleanroom.engine.api.Environment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.eclipse.aether.SessionData;

/**
 * The services of the files started once for the whole reactor ({@code <shared>true</shared>}):
 * the first module that needs a file starts it, every other module waits for that start (for a
 * bounded time) and uses the same services, and they are removed once, when the build ends.
 *
 * <p>Why it lives in the data of the build's resolver session: the plugin context Maven gives a
 * mojo is per project, and static state would outlive the build in a Maven daemon (mvnd) or an
 * embedder. The resolver session's data is made once per build, is shared by every module's
 * executions, also under {@code -T} (each thread's session copy keeps the same data), and needs
 * nothing from Maven newer than the plugin's 3.6.3 prerequisite; Sisu's {@code @SessionScoped}
 * would need a component seeded in Maven's session scope, which plugin realms do not control.
 * A file is known by its canonical path, so {@code ../shared/db.clnrm.toml} from two modules is
 * one file.
 */
final class SharedServices {

    /**
     * The key in the session data. A name, not the class: every module must see the same
     * registry even when its plugin realm was loaded anew (the lookup then finds another class
     * of the same name, which {@link #of(SessionData, Consumer)} refuses with the reason).
     */
    static final String KEY = SharedServices.class.getName();

    /** Starts the services of one shared file; called at most once per file per build. */
    @FunctionalInterface
    interface Starter {
        Environment start() throws MojoExecutionException;
    }

    /** What a module is handed: the services, which module started them, and whether it waited. */
    record Use(Environment environment, String startedBy, boolean startedHere) {}

    private static final class Entry {
        final String startedBy;
        final boolean keepRunning;
        final CompletableFuture<Environment> environment = new CompletableFuture<>();

        Entry(String startedBy, boolean keepRunning) {
            this.startedBy = startedBy;
            this.keepRunning = keepRunning;
        }
    }

    /** By canonical path, in the order the files were first asked for. Guarded by itself. */
    private final Map<Path, Entry> entries = new LinkedHashMap<>();

    private boolean closed;

    SharedServices() {}

    /**
     * The registry of this build; {@code whenCreated} runs once, for the call that creates it
     * (to hook its removal into the end of the build).
     */
    static SharedServices of(MavenSession session, Consumer<SharedServices> whenCreated) throws MojoExecutionException {
        return of(session.getRepositorySession().getData(), whenCreated);
    }

    static SharedServices of(SessionData data, Consumer<SharedServices> whenCreated) throws MojoExecutionException {
        Object found = data.get(KEY);
        if (found == null) {
            SharedServices created = new SharedServices();
            // Compare-and-set: of two modules that come here at once, one registry wins.
            if (data.set(KEY, null, created)) {
                whenCreated.accept(created);
                return created;
            }
            found = data.get(KEY);
        }
        if (found instanceof SharedServices registry) {
            return registry;
        }
        throw new MojoExecutionException("The shared services of this build were registered by another copy of "
                + "the Cleanroom plugin (" + found.getClass().getClassLoader() + "), so this module cannot use them. "
                + "Perhaps you should give every module the same plugin version and plugin <dependencies>, "
                + "e.g. by declaring the plugin once in the parent's <pluginManagement>.");
    }

    /**
     * The services of {@code file}: started here by {@code starter} if no module asked for them
     * before, else those another module started, waiting up to {@code wait} for that start.
     */
    Use startOnce(Path file, String module, boolean keepRunning, Duration wait, Starter starter)
            throws MojoExecutionException {
        Path key = canonical(file);
        Entry entry;
        boolean ours;
        synchronized (entries) {
            if (closed) {
                throw new MojoExecutionException("The build is ending; the shared services of " + key
                        + " are not started again for " + module + ".");
            }
            entry = entries.get(key);
            ours = entry == null;
            if (ours) {
                entry = new Entry(module, keepRunning);
                entries.put(key, entry);
            }
        }
        if (ours) {
            try {
                Environment environment = starter.start();
                entry.environment.complete(environment);
                return new Use(environment, module, true);
            } catch (MojoExecutionException | RuntimeException | Error e) {
                entry.environment.completeExceptionally(e);
                throw e;
            }
        }
        return new Use(waitFor(key, entry, module, wait), entry.startedBy, false);
    }

    private static Environment waitFor(Path file, Entry entry, String module, Duration wait)
            throws MojoExecutionException {
        try {
            return entry.environment.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new MojoExecutionException(module + " waited " + written(wait) + " for " + entry.startedBy
                    + " to start the shared services of " + file + ", and they are not up yet. Perhaps you "
                    + "should raise -Dcleanroom.sharedWait (e.g. 10m), or look at what " + entry.startedBy
                    + "'s start is waiting for.");
        } catch (ExecutionException e) {
            throw new MojoExecutionException("The shared services of " + file + " did not start in "
                    + entry.startedBy + ", so " + module + " cannot use them: "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException(
                    module + " was interrupted while it waited for the shared services of " + file, e);
        }
    }

    /** A shared file as messages name it: from the directory Maven runs in (shared/db.clnrm.toml). */
    static Path displayPath(Path file, Path reactorRoot) {
        Path absolute = real(file);
        Path root = real(reactorRoot);
        return absolute.startsWith(root) ? root.relativize(absolute) : absolute;
    }

    /** Both sides real paths, so that a symbolic link on the way does not hide the relation. */
    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** A run as the engine's log lines name it: the first 8 characters of its id. */
    static String shortRunId(Environment environment) {
        String id = environment.runId();
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    /** A duration as it is written in -Dcleanroom.sharedWait: 5m, 90s, 250ms. */
    static String written(Duration duration) {
        if (duration.toMillis() % 60_000 == 0 && !duration.isZero()) {
            return duration.toMinutes() + "m";
        }
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static Path canonical(Path file) throws MojoExecutionException {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "Cannot resolve the shared Cleanroom file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A started shared file, for the end of the build. */
    record Started(Path file, Environment environment, boolean keepRunning) {}

    /**
     * Closes the registry (a start asked for afterwards fails) and returns what was started, in
     * the order it was asked for; a start that failed or never ended is left out. Called once.
     */
    List<Started> closeAndList() {
        List<Started> started = new ArrayList<>();
        synchronized (entries) {
            closed = true;
            entries.forEach((file, entry) -> {
                if (entry.environment.isDone() && !entry.environment.isCompletedExceptionally()) {
                    started.add(new Started(file, entry.environment.join(), entry.keepRunning));
                }
            });
        }
        return started;
    }
}
