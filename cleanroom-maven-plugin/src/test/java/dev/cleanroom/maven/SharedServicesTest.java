package dev.cleanroom.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.StartedService;
import dev.cleanroom.engine.api.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.maven.plugin.MojoExecutionException;
import org.eclipse.aether.DefaultSessionData;
import org.eclipse.aether.SessionData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedServicesTest {

    /** Long enough never to be reached on a loaded machine: the tests that wait do not time out. */
    private static final Duration NO_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path reactor;

    private Path sharedFile;
    private final SharedServices shared = new SharedServices();
    private final AtomicInteger starts = new AtomicInteger();

    /** Two threads, as -T 2 has: the common pool may have only one on a 2-core machine. */
    private final ExecutorService modules = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopTheModuleThreads() {
        modules.shutdownNow();
    }

    @BeforeEach
    void aSharedFileBesideTwoModules() throws Exception {
        sharedFile = Files.createDirectories(reactor.resolve("shared")).resolve("db.clnrm.toml");
        Files.writeString(sharedFile, "");
        Files.createDirectories(reactor.resolve("module-a"));
        Files.createDirectories(reactor.resolve("module-b"));
    }

    private FakeEnvironment starting(String runId) {
        starts.incrementAndGet();
        return new FakeEnvironment(runId);
    }

    @Test
    void theSecondModuleUsesWhatTheFirstStartedByTheFilesCanonicalPath() throws Exception {
        // Act: each module names the file from its own directory.
        SharedServices.Use first = shared.startOnce(
                reactor.resolve("module-a/../shared/db.clnrm.toml"), "it:a", false, NO_TIMEOUT, () -> starting("r1"));
        SharedServices.Use second = shared.startOnce(
                reactor.resolve("module-b/../shared/./db.clnrm.toml"), "it:b", false, NO_TIMEOUT, () -> starting("r2"));

        // Assert
        assertThat(starts).hasValue(1);
        assertThat(first.startedHere()).isTrue();
        assertThat(second.startedHere()).isFalse();
        assertThat(second.environment()).isSameAs(first.environment());
        assertThat(second.startedBy()).isEqualTo("it:a");
    }

    @Test
    void twoFilesAreStartedOnceEach() throws Exception {
        // Arrange
        Path other = Files.writeString(reactor.resolve("shared/queue.clnrm.toml"), "");

        // Act
        Environment db = shared.startOnce(sharedFile, "it:a", false, NO_TIMEOUT, () -> starting("db"))
                .environment();
        Environment queue = shared.startOnce(other, "it:a", false, NO_TIMEOUT, () -> starting("queue"))
                .environment();

        // Assert
        assertThat(starts).hasValue(2);
        assertThat(db.runId()).isEqualTo("db");
        assertThat(queue.runId()).isEqualTo("queue");
    }

    @Test
    void aModuleThatAsksWhileAnotherStartsWaitsForThatStart() throws Exception {
        // Arrange: module a's start is under way (-T 2) and holds until released.
        CountDownLatch aIsStarting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<SharedServices.Use> a = CompletableFuture.supplyAsync(
                () -> use("it:a", NO_TIMEOUT, () -> {
                    aIsStarting.countDown();
                    await(release);
                    return starting("r1");
                }),
                modules);
        assertThat(aIsStarting.await(1, TimeUnit.MINUTES)).isTrue();

        // Act: b asks during a's start, then a's start ends.
        CompletableFuture<SharedServices.Use> b = CompletableFuture.supplyAsync(
                () -> use("it:b", NO_TIMEOUT, () -> {
                    throw new AssertionError("b must not start the shared services");
                }),
                modules);
        release.countDown();

        // Assert
        assertThat(b.get(1, TimeUnit.MINUTES).environment())
                .isSameAs(a.get(1, TimeUnit.MINUTES).environment());
        assertThat(b.get().startedHere()).isFalse();
        assertThat(starts).hasValue(1);
    }

    @Test
    void theWaitIsBoundedAndTheMessageSaysWhoIsStartingAndWhatToRaise() throws Exception {
        // Arrange: a's start never ends while b waits.
        CountDownLatch aIsStarting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<SharedServices.Use> a = CompletableFuture.supplyAsync(
                () -> use("it:a", NO_TIMEOUT, () -> {
                    aIsStarting.countDown();
                    await(release);
                    return starting("r1");
                }),
                modules);
        assertThat(aIsStarting.await(1, TimeUnit.MINUTES)).isTrue();

        // Act + Assert
        try {
            assertThatThrownBy(() -> shared.startOnce(sharedFile, "it:b", false, Duration.ofMillis(20), () -> {
                        throw new AssertionError("b must not start the shared services");
                    }))
                    .isInstanceOf(MojoExecutionException.class)
                    .hasMessage("it:b waited 20ms for it:a to start the shared services of " + sharedFile.toRealPath()
                            + ", and they are not up yet. Perhaps you should raise -Dcleanroom.sharedWait (e.g. "
                            + "10m), or look at what it:a's start is waiting for.");
        } finally {
            release.countDown();
            a.get(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void aFailedStartFailsTheModulesThatWaitedWithItsReasonAndIsNotRetried() throws Exception {
        // Arrange
        MojoExecutionException failure = new MojoExecutionException("Service db did not become healthy");

        // Act
        assertThatThrownBy(() -> shared.startOnce(sharedFile, "it:a", false, NO_TIMEOUT, () -> {
                    throw failure;
                }))
                .isSameAs(failure);

        // Assert
        assertThatThrownBy(() -> shared.startOnce(sharedFile, "it:b", false, NO_TIMEOUT, () -> starting("r2")))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("The shared services of " + sharedFile.toRealPath() + " did not start in it:a, so it:b "
                        + "cannot use them: Service db did not become healthy");
        assertThat(starts).hasValue(0);
        assertThat(shared.closeAndList()).isEmpty();
    }

    @Test
    void theEndOfTheBuildListsWhatStartedOnceAndRefusesLaterStarts() throws Exception {
        // Arrange
        Path other = Files.writeString(reactor.resolve("shared/queue.clnrm.toml"), "");
        shared.startOnce(sharedFile, "it:a", false, NO_TIMEOUT, () -> starting("db"));
        shared.startOnce(other, "it:b", true, NO_TIMEOUT, () -> starting("queue"));
        shared.startOnce(sharedFile, "it:b", true, NO_TIMEOUT, () -> starting("again"));

        // Act
        List<SharedServices.Started> started = shared.closeAndList();

        // Assert: in the order first asked for, each with its first starter's keepRunning.
        assertThat(started)
                .extracting(s -> s.environment().runId() + " " + s.keepRunning())
                .containsExactly("db false", "queue true");
        assertThat(started.get(0).file()).isEqualTo(sharedFile.toRealPath());
        assertThatThrownBy(() -> shared.startOnce(sharedFile, "it:c", false, NO_TIMEOUT, () -> starting("late")))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("The build is ending");
    }

    @Test
    void aMissingSharedFileIsNamed() {
        Path missing = reactor.resolve("shared/nope.clnrm.toml");
        assertThatThrownBy(() -> shared.startOnce(missing, "it:a", false, NO_TIMEOUT, () -> starting("r1")))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Cannot resolve the shared Cleanroom file " + missing);
    }

    @Test
    void oneRegistryPerBuildSessionAndItsEndIsHookedOnce() throws Exception {
        // Arrange
        SessionData data = new DefaultSessionData();
        List<SharedServices> created = new ArrayList<>();

        // Act: two modules, one session.
        SharedServices first = SharedServices.of(data, created::add);
        SharedServices second = SharedServices.of(data, created::add);

        // Assert
        assertThat(second).isSameAs(first);
        assertThat(created).containsExactly(first);
        assertThat(SharedServices.of(new DefaultSessionData(), created::add)).isNotSameAs(first);
    }

    @Test
    void aRegistryOfAnotherPluginCopyIsRefusedWithTheFix() {
        // Arrange: what another class loader's SharedServices looks like from here.
        SessionData data = new DefaultSessionData();
        data.set(SharedServices.KEY, new Object());

        // Act + Assert
        assertThatThrownBy(() -> SharedServices.of(data, registry -> {}))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("registered by another copy of the Cleanroom plugin")
                .hasMessageContaining("the same plugin version and plugin <dependencies>");
    }

    @Test
    void waitsAreWrittenAsTheUserWritesThem() {
        assertThat(SharedServices.written(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(SharedServices.written(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(SharedServices.written(Duration.ofMillis(250))).isEqualTo("250ms");
    }

    @Test
    void runLeavesOutTheFilesWhoseServicesTheReactorShares() throws Exception {
        // Arrange: start took db.clnrm.toml from the reactor; the module also has a file of its own.
        Path own = Files.writeString(reactor.resolve("module-a/web.clnrm.toml"), "");
        BuildState state = new BuildState();
        state.sharedEnvironments.add(new FakeEnvironment("db", sharedFile));

        // Act: run names the shared file by another path.
        List<Path> left =
                RunMojo.withoutSharedFiles(List.of(reactor.resolve("module-a/../shared/db.clnrm.toml"), own), state);

        // Assert
        assertThat(left).containsExactly(own);
    }

    private SharedServices.Use use(String module, Duration wait, SharedServices.Starter starter) {
        try {
            return shared.startOnce(sharedFile, module, false, wait, starter);
        } catch (MojoExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Services that exist only as a run id and a file: the registry never looks inside them. */
    private static final class FakeEnvironment implements Environment {
        private final String runId;
        private final Path file;

        FakeEnvironment(String runId) {
            this(runId, null);
        }

        FakeEnvironment(String runId, Path file) {
            this.runId = runId;
            this.file = file;
        }

        @Override
        public String runId() {
            return runId;
        }

        @Override
        public LoadedFile file() {
            return new LoadedFile() {
                @Override
                public Path path() {
                    return file;
                }

                @Override
                public String name() {
                    return runId;
                }

                @Override
                public String description() {
                    return "";
                }

                @Override
                public boolean shared() {
                    return false;
                }

                @Override
                public List<String> serviceNames() {
                    return List.of();
                }
            };
        }

        @Override
        public List<StartedService> services() {
            return List.of();
        }

        @Override
        public Duration startDuration() {
            return Duration.ZERO;
        }

        @Override
        public List<StepResult> runSteps() {
            return List.of();
        }

        @Override
        public Duration stop() {
            return Duration.ZERO;
        }

        @Override
        public void detach() {}
    }
}
