package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.Labels;
import dev.cleanroom.engine.internal.ReuseScope;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.internal.Sweeper;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds one after the other (and at once) on one daemon, with reuse across builds. */
class ReuseAcrossBuildsTest {

    private static final String PROJECT = "g:reuse";

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();

    private static final String THREE_SERVICES = """
            [services.db]
            type = "scripted"
            image = "db:1"
            env = { MODE = "%s" }
            [services.api]
            type = "scripted"
            image = "api:1"
            depends_on = ["db"]
            [services.cache]
            type = "scripted"
            image = "cache:1"
            """;

    /** One build: its own engine and log, on the shared daemon, as a second mvn would be. */
    private final class Build {
        final RecordingLog log = new RecordingLog();
        final CleanroomEngine engine;

        Build(Boolean reuse, Map<String, String> environment, Duration lockWait) {
            engine = TestEngines.withEnvironment(
                            TestEngines.builder(new ServiceFactory().register(new ScriptedPlugin()), runtime.factory()),
                            environment)
                    .log(log)
                    .project(PROJECT)
                    .projectDirectory(dir)
                    .reuse(reuse, "-Dcleanroom.reuse")
                    .reuseLockWait(lockWait)
                    .build();
        }

        Build(Boolean reuse) {
            this(reuse, Map.of(), Duration.ofSeconds(30));
        }

        /** Starts the file and ends the build as cleanroom:stop does. */
        void startAndStop(LoadedFile file) throws CleanroomException {
            Environment environment = engine.start(file);
            environment.stop();
        }

        LoadedFile load(String toml) throws Exception {
            Path path = dir.resolve("src/test/cleanroom/app.clnrm.toml");
            Files.createDirectories(path.getParent());
            Files.writeString(path, toml, StandardCharsets.UTF_8);
            return engine.load(path);
        }
    }

    private String idOf(String service) {
        return runtime.idOf(networkName() + "-" + service).orElseThrow();
    }

    private String networkName() {
        return ReuseScope.of(PROJECT, dir, dir.resolve("src/test/cleanroom/app.clnrm.toml"))
                .networkName();
    }

    private long starts(String service) {
        return runtime.events().stream()
                .filter(e -> e.startsWith("start ") && e.endsWith("-" + service))
                .count();
    }

    @Test
    void aSecondBuildAdoptsTheRunningServicesWithoutCreatingAny() throws Exception {
        // Arrange
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));
        List<String> ids = List.of(idOf("db"), idOf("api"), idOf("cache"));

        // Act
        Build second = new Build(true);
        LoadedFile file = second.load(THREE_SERVICES.formatted("a"));
        Environment environment = second.engine.start(file);

        // Assert
        assertThat(List.of(idOf("db"), idOf("api"), idOf("cache"))).isEqualTo(ids);
        assertThat(starts("db") + starts("api") + starts("cache")).isEqualTo(3);
        assertThat(second.log.text())
                .contains("Reused db (" + ids.get(0) + ", scripted, db:1) of an earlier build")
                .contains("reuse on: -Dcleanroom.reuse=true");
        assertThat(environment.service("db").orElseThrow().handle().containerId())
                .isEqualTo(ids.get(0));
        assertThat(second.engine.isRunUp(environment.runId())).isTrue();
        environment.stop();
        assertThat(runtime.containerCount()).isEqualTo(3);
        assertThat(runtime.networkCount()).isEqualTo(1);
        // Kept too, so that sweeps of Cleanroom versions without reuse leave them alone.
        assertThat(runtime.runningSpecs())
                .allSatisfy(spec -> assertThat(spec.labels())
                        .containsEntry(Labels.KEEP, "true")
                        .containsKey(Labels.REUSE_HASH)
                        .containsKey(Labels.REUSE_CREATED));
        assertThat(second.log.text())
                .contains("running for the next build to reuse")
                .contains("mvn cleanroom:clean");
    }

    @Test
    void aSecondBuildThatChangesNothingAdoptsWithoutTakingTheLock() throws Exception {
        // Arrange
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));
        assertThat(locksTaken()).isEqualTo(1);

        // Act
        Build second = new Build(true);
        second.startAndStop(second.load(THREE_SERVICES.formatted("a")));

        // Assert: adopted as before, but the lock's create (and remove) never happened
        assertThat(locksTaken()).isEqualTo(1);
        assertThat(second.log.text())
                .contains("Reused db (")
                .contains("Reused api (")
                .contains("Reused cache (")
                .doesNotContain("Waiting for build");
        assertThat(starts("db") + starts("api") + starts("cache")).isEqualTo(3);
    }

    @Test
    void aBuildThatFindsEverythingUnchangedButTheLockHeldWaitsForItThenAdopts() throws Exception {
        // Arrange: the services are there as this build wants them, but another build (live: this
        // JVM's owner) holds the lock, as one replacing a service would
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));
        List<String> ids = List.of(idOf("db"), idOf("api"), idOf("cache"));
        ReuseScope scope = ReuseScope.of(PROJECT, dir, dir.resolve("src/test/cleanroom/app.clnrm.toml"));
        String lock = runtime.createNamed(ContainerSpec.builder("db:1")
                        .name(scope.lockName())
                        .label(Labels.LOCK, scope.key())
                        .label(Labels.OWNER, Labels.currentOwner())
                        .build())
                .orElseThrow();
        Build second = new Build(true);
        LoadedFile file = second.load(THREE_SERVICES.formatted("a"));
        // The holder lets go only once the second build says it waits: the order is forced, not timed.
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            while (!second.log.text().contains("Waiting for build")) {
                Thread.onSpinWait();
            }
            try {
                runtime.removeContainer(lock, Duration.ZERO);
            } catch (CleanroomException e) {
                throw new IllegalStateException(e);
            }
        });

        // Act
        second.startAndStop(file);
        holder.join();

        // Assert
        assertThat(second.log.text())
                .contains("Waiting for build " + Labels.currentOwner())
                .contains("it is done, so this build adopts what it left running")
                .contains("Reused db (" + ids.get(0));
        assertThat(List.of(idOf("db"), idOf("api"), idOf("cache"))).isEqualTo(ids);
    }

    @Test
    void aServiceThatCannotBeAdoptedAsItIsSendsTheBuildBackForTheLockAndOnlyItIsReplaced() throws Exception {
        // Arrange: everything looks unchanged, but api's one health check fails (healthy only from
        // its second check on), which only the adoption itself finds out
        String toml = THREE_SERVICES
                .formatted("a")
                .replace("depends_on = [\"db\"]", "depends_on = [\"db\"]\nhealthy_after = 1");
        Build first = new Build(true);
        first.startAndStop(first.load(toml));
        String db = idOf("db");
        String api = idOf("api");
        String cache = idOf("cache");

        // Act
        Build second = new Build(true);
        second.startAndStop(second.load(toml));

        // Assert: the replacement happened under the lock; db and cache were adopted, not restarted
        assertThat(locksTaken()).isEqualTo(2);
        assertThat(second.log.text())
                .contains("Taking the reuse lock of src/test/cleanroom/app.clnrm.toml: service api cannot be "
                        + "adopted as it is (its health check failed: check 1 of 2)")
                .contains("Replacing reused service api (" + api + "): its health check failed: check 1 of 2");
        assertThat(idOf("api")).isNotEqualTo(api);
        assertThat(idOf("db")).isEqualTo(db);
        assertThat(idOf("cache")).isEqualTo(cache);
        assertThat(starts("db")).isEqualTo(1);
        assertThat(starts("cache")).isEqualTo(1);
        assertThat(starts("api")).isEqualTo(2);
    }

    /** How many times a build created the reuse lock. */
    private long locksTaken() {
        return runtime.events().stream()
                .filter(e -> e.startsWith("create clnrm-lock-"))
                .count();
    }

    @Test
    void aServiceItsPluginSaysMustNotOutliveTheBuildIsStoppedAtItsEndWhileItsTargetIsKept() throws Exception {
        // Arrange: faults plays a fault injector working on db
        String toml = """
                [services.db]
                type = "scripted"
                image = "db:1"
                [services.faults]
                type = "scripted"
                image = "faults:1"
                reusable = false
                depends_on = ["db"]
                """;
        Build first = new Build(true);
        Environment environment = first.engine.start(first.load(toml));

        // Act
        environment.stop();

        // Assert: faults' container is gone; db stays for the next build
        assertThat(runtime.events()).contains("remove " + networkName() + "-faults");
        assertThat(runtime.idOf(networkName() + "-faults")).isEmpty();
        assertThat(runtime.containerCount()).isEqualTo(1);
        assertThat(first.log.text())
                .contains("Removed service faults: its type is never kept running for the next build")
                .contains("Left 1 service(s) of app.clnrm.toml running for the next build to reuse (db ");

        // Act: the next build adopts db and starts faults afresh
        Build second = new Build(true);
        second.engine.start(second.load(toml)).stop();

        // Assert
        assertThat(second.log.text()).contains("Reused db (").doesNotContain("Replacing reused service");
        assertThat(starts("faults")).isEqualTo(2);
        assertThat(starts("db")).isEqualTo(1);
    }

    @Test
    void anEditToAFileTheServiceReadsAtStartReplacesItThoughItsTableIsTheSame() throws Exception {
        // Arrange: the plugin fingerprints init.sql, as surrealdb does its init_file
        Path init = Files.writeString(
                Files.createDirectories(dir.resolve("src/test/cleanroom")).resolve("init.sql"), "a");
        String toml = """
                [services.db]
                type = "scripted"
                image = "db:1"
                fingerprint_file = "init.sql"
                """;
        Build first = new Build(true);
        first.startAndStop(first.load(toml));
        String db = idOf("db");
        Build unchanged = new Build(true);
        unchanged.startAndStop(unchanged.load(toml));

        // Act
        Files.writeString(init, "b");
        Build edited = new Build(true);
        edited.startAndStop(edited.load(toml));

        // Assert
        assertThat(unchanged.log.text()).contains("Reused db (" + db + ",");
        assertThat(edited.log.text()).contains("Replacing reused service db (" + db + "): its definition changed");
        assertThat(idOf("db")).isNotEqualTo(db);
    }

    @Test
    void aChangedServiceIsReplacedWithWhatDependsOnItAndNothingElse() throws Exception {
        // Arrange
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));
        String db = idOf("db");
        String api = idOf("api");
        String cache = idOf("cache");

        // Act: only db's env changes
        Build second = new Build(true);
        second.startAndStop(second.load(THREE_SERVICES.formatted("b")));

        // Assert
        assertThat(idOf("db")).isNotEqualTo(db);
        assertThat(idOf("api")).isNotEqualTo(api);
        assertThat(idOf("cache")).isEqualTo(cache);
        assertThat(second.log.text())
                .contains("Replacing reused service db (" + db + "): its definition changed")
                .contains("Replacing reused service api (" + api + "): service db, which it depends on, was started "
                        + "afresh")
                .contains("Reused cache (" + cache + ",");
        assertThat(runtime.containerCount()).isEqualTo(3);
    }

    @Test
    void aBuildThatPublishesOnAnotherAddressReplacesTheServicesRatherThanAdoptPortsItCannotReach() throws Exception {
        // Arrange: a build on the daemon's host left services with ports on 127.0.0.1
        Build onHost = new Build(true);
        onHost.startAndStop(onHost.load(THREE_SERVICES.formatted("a")));
        String db = idOf("db");

        // Act: a build of the same project and file from another machine (a remote daemon), which
        // publishes on every address and reaches the services at the daemon's address
        runtime.reachAs(ServiceReach.remote("tcp://10.231.7.2:2375", "10.231.7.2"));
        Build remote = new Build(true);
        remote.startAndStop(remote.load(THREE_SERVICES.formatted("a")));

        // Assert: replaced, not adopted with ports it cannot reach
        assertThat(idOf("db")).isNotEqualTo(db);
        assertThat(remote.log.text()).contains("Replacing reused service db (" + db + "): its definition changed");
    }

    @Test
    void aFailedStartRemovesWhatItStartedAndKeepsTheServicesItAdoptedForTheNextBuild() throws Exception {
        // Arrange: the first build leaves db, api (on db) and cache
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));
        String db = idOf("db");
        String cache = idOf("cache");
        // The second build changes api's image, whose start fails
        runtime.failStartOf("api:2", "exec format error");
        Build second = new Build(true);
        LoadedFile broken = second.load(THREE_SERVICES.formatted("a").replace("api:1", "api:2"));

        // Act
        assertThatThrownBy(() -> second.engine.start(broken))
                .hasMessageContaining("exec format error")
                .hasMessageEndingWith(
                        "started was removed; the reused service(s) cache, db run on for the next build.");

        // Assert: db and cache, adopted unchanged, run on for the next build; the new api is gone
        assertThat(runtime.isRunning(db)).isTrue();
        assertThat(runtime.isRunning(cache)).isTrue();
        assertThat(runtime.idOf(networkName() + "-api")).isEmpty();
        assertThat(runtime.networkCount()).isEqualTo(1);
        assertThat(second.log.text())
                .contains(
                        "Kept the reused service(s) cache, db, which this build adopted unchanged or did not get to, for the next build");
        assertThat(runtime.runningSpecs()).noneMatch(s -> s.labels().containsKey(Labels.LOCK));

        // Act: the next build, with api fixed, adopts them and starts api alone
        Build third = new Build(true);
        third.startAndStop(third.load(THREE_SERVICES.formatted("a")));

        // Assert
        assertThat(idOf("db")).isEqualTo(db);
        assertThat(idOf("cache")).isEqualTo(cache);
        assertThat(starts("db")).isEqualTo(1);
        assertThat(starts("cache")).isEqualTo(1);
    }

    @Test
    void aFailedStartAlsoLeavesTheReusedServicesItDidNotGetTo() throws Exception {
        // Arrange: cache depends on api, so api's failed start aborts the run before cache is looked at
        String file = THREE_SERVICES
                .formatted("a")
                .replace("image = \"cache:1\"", "image = \"cache:1\"\ndepends_on = [\"api\"]");
        Build first = new Build(true);
        first.startAndStop(first.load(file));
        String cache = idOf("cache");
        runtime.failStartOf("api:2", "exec format error");
        Build second = new Build(true);
        LoadedFile broken = second.load(file.replace("api:1", "api:2"));

        // Act
        assertThatThrownBy(() -> second.engine.start(broken))
                .hasMessageEndingWith("the reused service(s) cache, db run on for the next build.");

        // Assert: cache was never begun, and runs on as the first build left it
        assertThat(second.log.text()).doesNotContain("Reused cache (");
        assertThat(runtime.isRunning(cache)).isTrue();
        assertThat(idOf("cache")).isEqualTo(cache);
    }

    @Test
    void theLocksImagePulledOnceIsTheImageTheHashNamesSoTheNextBuildAdopts() throws Exception {
        // Arrange: db's image is not on the daemon yet; the first build pulls it for the lock
        runtime.imageMissing("db:1").inRegistry("db:1", "sha256:" + "d".repeat(64));
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));
        String db = idOf("db");

        // Act
        Build second = new Build(true);
        second.startAndStop(second.load(THREE_SERVICES.formatted("a")));

        // Assert: one pull, and the hash the first build wrote was of the pulled image, not its name
        assertThat(runtime.pulls()).containsExactly("db:1");
        assertThat(first.log.text()).contains("Pulling image db:1 (to create the reuse lock from)");
        assertThat(idOf("db")).isEqualTo(db);
        assertThat(second.log.text()).contains("Reused db (" + db);
    }

    @Test
    void aServiceThatIsNoLongerRunningIsReplaced() throws Exception {
        // Arrange
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));
        String cache = idOf("cache");
        runtime.kill(cache);

        // Act
        Build second = new Build(true);
        second.startAndStop(second.load(THREE_SERVICES.formatted("a")));

        // Assert
        assertThat(idOf("cache")).isNotEqualTo(cache);
        assertThat(second.log.text())
                .contains("Replacing reused service cache (" + cache + "): it exited with code 137");
    }

    @Test
    void aServiceWhoseOneHealthCheckFailsIsReplaced() throws Exception {
        // Arrange: healthy only from its second check on, so the adoption's one check fails
        String toml = """
                [services.slow]
                type = "scripted"
                image = "slow:1"
                healthy_after = 1
                """;
        Build first = new Build(true);
        first.startAndStop(first.load(toml));
        String slow = idOf("slow");

        // Act
        Build second = new Build(true);
        second.startAndStop(second.load(toml));

        // Assert
        assertThat(idOf("slow")).isNotEqualTo(slow);
        assertThat(second.log.text())
                .contains("Replacing reused service slow (" + slow + "): its health check failed: check 1 of 2");
    }

    @Test
    void resetCommandRunsInAnAdoptedServiceBeforeItIsHandedOut() throws Exception {
        // Arrange
        String toml = """
                [services.db]
                type = "scripted"
                image = "db:1"
                reset.command = ["psql", "-c", "TRUNCATE orders"]
                """;
        Build first = new Build(true);
        first.startAndStop(first.load(toml));
        assertThat(runtime.events()).doesNotContain("exec psql -c TRUNCATE orders");

        // Act
        Build second = new Build(true);
        second.startAndStop(second.load(toml));

        // Assert
        assertThat(runtime.events()).containsOnlyOnce("exec psql -c TRUNCATE orders");
        assertThat(second.log.text()).contains("Reset db with reset.command [psql, -c, TRUNCATE orders]");
    }

    @Test
    void aFailingResetCommandFailsTheStartNamingIt() throws Exception {
        // Arrange
        String toml = """
                [services.db]
                type = "scripted"
                image = "db:1"
                reset.command = ["false"]
                """;
        Build first = new Build(true);
        first.startAndStop(first.load(toml));
        runtime.onExec(
                argv -> new dev.cleanroom.engine.spi.ExecResult(3, "", "no such table", Duration.ofMillis(1), false));

        // Act + Assert
        Build second = new Build(true);
        LoadedFile file = second.load(toml);
        assertThatThrownBy(() -> second.engine.start(file))
                .hasMessageContaining("reset.command [false] exited with code 3: no such table");
        // Tried without the lock first, then failed as the build holding it saw it, and let it go.
        assertThat(locksTaken()).isEqualTo(2);
        assertThat(runtime.runningSpecs()).noneMatch(s -> s.labels().containsKey(Labels.LOCK));
    }

    @Test
    void inCiWithNoSettingNothingIsReusedAndTheLogSaysWhy() throws Exception {
        // Arrange
        Build build = new Build(null, Map.of("GITHUB_ACTIONS", "true"), Duration.ofSeconds(30));

        // Act
        build.startAndStop(build.load(THREE_SERVICES.formatted("a")));

        // Assert
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
        assertThat(build.log.text()).doesNotContain("reuse on");
    }

    @Test
    void inCiTheFileCanStillAskForReuse() throws Exception {
        // Arrange
        Build build = new Build(null, Map.of("CI", "true"), Duration.ofSeconds(30));

        // Act
        build.startAndStop(build.load("[meta]\nreuse = true\n" + THREE_SERVICES.formatted("a")));

        // Assert
        assertThat(runtime.containerCount()).isEqualTo(3);
        assertThat(build.log.text()).contains("reuse on: reuse = true under [meta] of app.clnrm.toml");
    }

    @Test
    void theBuildsFalseWinsOverTheFilesTrue() throws Exception {
        // Arrange
        Build build = new Build(false);

        // Act
        build.startAndStop(build.load("[meta]\nreuse = true\n" + THREE_SERVICES.formatted("a")));

        // Assert
        assertThat(runtime.containerCount()).isZero();
        assertThat(build.log.text()).contains("reuse off: -Dcleanroom.reuse=false");
    }

    @Test
    void aSecondBuildThatStartsWhileTheFirstHoldsTheLockWaitsAndAdopts() throws Exception {
        // Arrange: the first build's db is slow to start, so it holds the lock a while
        String toml = """
                [services.db]
                type = "scripted"
                image = "db:1"
                start_delay_ms = 300
                [services.api]
                type = "scripted"
                image = "api:1"
                depends_on = ["db"]
                """;
        Build first = new Build(true);
        LoadedFile firstFile = first.load(toml);
        Build second = new Build(true);
        LoadedFile secondFile = second.load(toml);
        CompletableFuture<Void> firstStart = CompletableFuture.runAsync(() -> {
            try {
                first.startAndStop(firstFile);
            } catch (CleanroomException e) {
                throw new IllegalStateException(e);
            }
        });
        while (runtime.events().stream().noneMatch(e -> e.startsWith("create clnrm-lock-"))) {
            Thread.onSpinWait();
        }

        // Act
        second.startAndStop(secondFile);
        firstStart.join();

        // Assert
        assertThat(starts("db")).isEqualTo(1);
        assertThat(starts("api")).isEqualTo(1);
        assertThat(second.log.text())
                .contains("Waiting for build " + Labels.currentOwner() + ", which is starting the reused services of "
                        + "src/test/cleanroom/app.clnrm.toml")
                .contains("for build " + Labels.currentOwner() + " to start the reused services of "
                        + "src/test/cleanroom/app.clnrm.toml; it is done, so this build adopts what it left running")
                .contains("Reused db (")
                .contains("Reused api (");
        assertThat(runtime.runningSpecs()).noneMatch(s -> s.labels().containsKey(Labels.LOCK));
    }

    @Test
    void aLockWhoseHolderIsGoneIsBroken() throws Exception {
        // Arrange
        ReuseScope scope = ReuseScope.of(PROJECT, dir, dir.resolve("src/test/cleanroom/app.clnrm.toml"));
        String[] ours = Labels.currentOwner().split("/");
        String deadOwner = String.join("/", "another-jvm", ours[1], "999999999", ours[3], ours[4]);
        runtime.createNamed(ContainerSpec.builder("db:1")
                .name(scope.lockName())
                .label(Labels.LOCK, scope.key())
                .label(Labels.OWNER, deadOwner)
                .build());
        Build build = new Build(true);

        // Act
        build.startAndStop(build.load(THREE_SERVICES.formatted("a")));

        // Assert
        assertThat(build.log.text())
                .contains("Breaking the reuse lock " + scope.lockName() + ": the build that held it (" + deadOwner
                        + ") is gone");
        assertThat(runtime.runningSpecs()).noneMatch(s -> s.labels().containsKey(Labels.LOCK));
        assertThat(runtime.containerCount()).isEqualTo(3);
    }

    @Test
    void aLockHeldTooLongFailsTheStartNamingItsHolder() throws Exception {
        // Arrange: a live holder (this JVM) that never releases
        ReuseScope scope = ReuseScope.of(PROJECT, dir, dir.resolve("src/test/cleanroom/app.clnrm.toml"));
        runtime.createNamed(ContainerSpec.builder("db:1")
                .name(scope.lockName())
                .label(Labels.LOCK, scope.key())
                .label(Labels.OWNER, Labels.currentOwner())
                .build());
        Build build = new Build(true, Map.of(), Duration.ofMillis(300));
        LoadedFile file = build.load(THREE_SERVICES.formatted("a"));

        // Act + Assert
        assertThatThrownBy(() -> build.engine.start(file))
                .hasMessageContaining("waiting for the reuse lock of src/test/cleanroom/app.clnrm.toml (container "
                        + scope.lockName() + "), held by build " + Labels.currentOwner())
                .hasMessageContaining("docker rm -f " + scope.lockName());
        assertThat(starts("db")).isZero();
    }

    @Test
    void aBuildThatNeverGotTheLockLeavesTheServicesOfTheBuildThatHoldsItRunning() throws Exception {
        // Arrange: an earlier build left the services; another build (live: this JVM) holds the
        // lock and is using them, as one replacing a service or whose tests run would
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));
        List<String> ids = List.of(idOf("db"), idOf("api"), idOf("cache"));
        ReuseScope scope = ReuseScope.of(PROJECT, dir, dir.resolve("src/test/cleanroom/app.clnrm.toml"));
        runtime.createNamed(ContainerSpec.builder("db:1")
                .name(scope.lockName())
                .label(Labels.LOCK, scope.key())
                .label(Labels.OWNER, Labels.currentOwner())
                .build());
        Build waiting = new Build(true, Map.of(), Duration.ofMillis(300));
        LoadedFile file = waiting.load(THREE_SERVICES.formatted("a"));

        // Act: its wait for the lock times out
        assertThatThrownBy(() -> waiting.engine.start(file)).hasMessageContaining("waiting for the reuse lock");

        // Assert: what the holder uses is still there (they share the run label, not the ownership)
        assertThat(List.of(idOf("db"), idOf("api"), idOf("cache"))).isEqualTo(ids);
        assertThat(runtime.containerCount())
                .as("the three services and the holder's lock")
                .isEqualTo(4);
        assertThat(waiting.log.lines())
                .contains("INFO Removed nothing of the reused services of run "
                        + scope.key().substring(0, 8)
                        + " (the start failed): this build did not hold their reuse lock, so it changed none of them");
    }

    @Test
    void sweepsKeepReusedServicesYoungerThanTheirTimeToLiveAndRemoveOlderOnes() throws Exception {
        // Arrange: both made by a build that is gone
        String[] ours = Labels.currentOwner().split("/");
        String deadOwner = String.join("/", "another-jvm", ours[1], "999999999", ours[3], ours[4]);
        long now = System.currentTimeMillis();
        for (String name : List.of("young", "old")) {
            long created = name.equals("young")
                    ? now - Duration.ofHours(1).toMillis()
                    : now - Duration.ofHours(25).toMillis();
            runtime.plant(ContainerSpec.builder("x")
                    .name("clnrm-reuse-" + name)
                    .label(Labels.OWNER, deadOwner)
                    .label(Labels.RUN, "reuse-" + name)
                    .label(Labels.REUSE, name)
                    .label(Labels.REUSE_CREATED, String.valueOf(created))
                    .build());
        }

        RecordingLog log = new RecordingLog();

        // Act
        Sweeper.sweepDeadRuns(runtime, log, Duration.ofHours(24));

        // Assert
        assertThat(runtime.runningSpecs())
                .extracting(s -> s.name().orElseThrow())
                .containsExactly("clnrm-reuse-young");
        assertThat(log.text())
                .contains("clnrm-reuse-old (1 of them kept for reuse and older than cleanroom.reuse.ttl = ");
    }

    @Test
    void aStopOfTheProjectLeavesReusedServicesUnlessReuseIsFalse() throws Exception {
        // Arrange
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));

        // Act: mvn cleanroom:stop, then mvn cleanroom:stop -Dcleanroom.reuse=false
        Build stop = new Build(null);
        stop.engine.removeProjectContainers();
        int left = runtime.containerCount();
        Build stopReuseFalse = new Build(false);
        stopReuseFalse.engine.removeProjectContainers();

        // Assert
        assertThat(left).isEqualTo(3);
        assertThat(stop.log.text())
                .contains("Left 3 service(s) kept for reuse running: ")
                .contains("mvn cleanroom:stop -Dcleanroom.reuse=false");
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void cleanRemovesReusedServicesTheirNetworkAndLocks() throws Exception {
        // Arrange
        Build first = new Build(true);
        first.startAndStop(first.load(THREE_SERVICES.formatted("a")));

        // Act
        new Build(null).engine.removeReusedServices(false);

        // Assert
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }
}
