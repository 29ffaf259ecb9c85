package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.Labels;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentLifecycleTest {

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final RecordingLog log = new RecordingLog();
    private final CleanroomEngine engine = TestEngines.builder(
                    new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
            .log(log)
            .project("g:a")
            .build();

    private LoadedFile file(String toml) throws Exception {
        Path path = dir.resolve("env.clnrm.toml");
        Files.writeString(path, toml, StandardCharsets.UTF_8);
        return engine.load(path);
    }

    @Test
    void startsEveryServiceOnItsOwnLabelledNetworkUnderItsName() throws Exception {
        // Arrange
        LoadedFile file = file("""
                [services.db]
                type = "scripted"
                image = "db:1"
                [services.api]
                type = "scripted"
                image = "api:1"
                """);

        // Act
        try (Environment environment = engine.start(file)) {
            // Assert
            assertThat(environment.services()).extracting(s -> s.name()).containsExactly("db", "api");
            assertThat(runtime.networkCount()).isEqualTo(1);
            String network = "clnrm-" + environment.runId().substring(0, 8);
            assertThat(runtime.runningSpecs()).allSatisfy(spec -> {
                assertThat(spec.networkMode()).contains(network);
                assertThat(spec.labels())
                        .containsEntry(Labels.RUN, environment.runId())
                        .containsEntry(Labels.PROJECT, "g:a")
                        .containsKey(Labels.OWNER);
            });
            ContainerSpec db = runtime.runningSpecs().stream()
                    .filter(s -> s.image().equals("db:1"))
                    .findFirst()
                    .orElseThrow();
            assertThat(db.aliases()).containsExactly("db");
            assertThat(db.name()).contains(network + "-db");
            assertThat(db.labels()).containsEntry(Labels.SERVICE, "db");
            assertThat(environment.service("api").orElseThrow().handle().endpoints())
                    .containsEntry("url", "fake://api");
        }
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void tellsARunWhoseContainersAllRunFromOneThatEndedOrNeverWas() throws Exception {
        // Arrange
        LoadedFile file = file("""
                [services.db]
                type = "scripted"
                image = "db:1"
                """);
        Environment environment = engine.start(file);
        String runId = environment.runId();

        // Act + Assert
        assertThat(engine.isRunUp(runId)).isTrue();
        assertThat(engine.isRunUp("no-such-run")).isFalse();
        environment.stop();
        assertThat(engine.isRunUp(runId)).isFalse();
    }

    @Test
    void startsIndependentServicesInParallel() throws Exception {
        // Arrange: four services whose starts each wait (up to 30 s) until all four are under way
        // at once; started one after another, the first would wait alone and fail. No clock is read,
        // so a loaded machine cannot make this pass or fail.
        String group = "parallel-" + java.util.UUID.randomUUID();
        StringBuilder toml = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            toml.append("[services.s")
                    .append(i)
                    .append("]\ntype = \"scripted\"\nimage = \"i\"\n")
                    .append("rendezvous = \"")
                    .append(group)
                    .append("\"\nrendezvous_parties = 4\n");
        }
        LoadedFile file = file(toml.toString());

        // Act
        try (Environment environment = engine.start(file)) {

            // Assert
            assertThat(environment.services()).hasSize(4);
        }
    }

    @Test
    void startsADependencyBeforeTheServiceThatDependsOnIt() throws Exception {
        // Arrange
        LoadedFile file = file("""
                [services.api]
                type = "scripted"
                image = "api"
                depends_on = ["db"]
                [services.db]
                type = "scripted"
                image = "db"
                start_delay_ms = 200
                healthy_after = 3
                """);

        // Act
        try (Environment environment = engine.start(file)) {
            // Assert
            List<String> starts = runtime.events().stream()
                    .filter(e -> e.startsWith("start "))
                    .toList();
            assertThat(starts).hasSize(2);
            assertThat(starts.get(0)).endsWith("-db");
            assertThat(starts.get(1)).endsWith("-api");
        }
    }

    @Test
    void servicesStopAfterTheServicesThatDependOnThem() throws Exception {
        // Arrange: web -> api -> db, and a lone service
        LoadedFile file = file("""
                [services.db]
                type = "scripted"
                image = "db"
                [services.api]
                type = "scripted"
                image = "api"
                depends_on = ["db"]
                [services.web]
                type = "scripted"
                image = "web"
                depends_on = ["api"]
                [services.lone]
                type = "scripted"
                image = "lone"
                """);
        Environment environment = engine.start(file);
        String prefix = "remove clnrm-" + environment.runId().substring(0, 8) + "-";

        // Act
        environment.stop();

        // Assert
        assertThat(runtime.events())
                .containsSubsequence(prefix + "web", prefix + "api", prefix + "db")
                .contains(prefix + "lone");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void failedStartRemovesEverythingAlreadyStartedAndNamesTheServiceAndReason() throws Exception {
        // Arrange
        runtime.failStartOf("broken:1", "Image \"broken:1\" is not present locally and could not be pulled");
        LoadedFile file = file("""
                [services.ok]
                type = "scripted"
                image = "fine:1"
                [services.bad]
                type = "scripted"
                image = "broken:1"
                start_delay_ms = 100
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith(
                        "Service bad (scripted, broken:1) could not start: Image \"broken:1\" is not present "
                                + "locally and could not be pulled")
                .hasMessageContaining("Every container and the network of run ")
                .satisfies(e ->
                        assertThat(((ServiceStartException) e).serviceName()).isEqualTo("bad"));
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
        assertThat(runtime.closeCount()).isPositive();
    }

    @Test
    void containerThatExitsDuringStartIsReportedWithExitCodeAndLastLogLines() throws Exception {
        // Arrange
        runtime.exitAtStart("crash:1", 3).logsOf("crash:1", "booting\nfatal: no config\n");
        LoadedFile file = file("""
                [services.app]
                type = "scripted"
                image = "crash:1"
                healthy_after = 2
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .hasMessageStartingWith("Service app (scripted, crash:1) exited with code 3 while starting\n"
                        + "  Last log lines of app:\n    | booting\n    | fatal: no config");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void containerKilledForItsMemoryIsReportedAsOomKilledAndRemoved() throws Exception {
        // Arrange
        runtime.oomKilledAtStart("hungry:1").logsOf("hungry:1", "allocating 4 GiB\n");
        LoadedFile file = file("""
                [services.app]
                type = "scripted"
                image = "hungry:1"
                healthy_after = 2
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .hasMessageStartingWith(
                        "Service app (scripted, hungry:1) was killed for using too much memory "
                                + "(OOMKilled, exit code 137) while starting\n  Last log lines of app:\n    | allocating 4 GiB");
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void containerThatExitsJustBeforeItsHealthCheckIsReportedByItsExitNotByTheFailedCheck() throws Exception {
        // Arrange: running at the inspect, gone by the check's exec
        runtime.exitAfterFirstInspect("crash:1", 3).logsOf("crash:1", "cannot read /etc/broken.conf\n");
        LoadedFile file = file("""
                [services.app]
                type = "scripted"
                image = "crash:1"
                health_exec = true
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .hasMessageStartingWith("Service app (scripted, crash:1) exited with code 3 while starting\n"
                        + "  Last log lines of app:\n    | cannot read /etc/broken.conf");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void serviceThatNeverBecomesHealthyFailsAfterItsTimeoutWithTheLastCheck() throws Exception {
        // Arrange
        LoadedFile file = file("""
                [services.slow]
                type = "scripted"
                image = "slow:1"
                healthy_after = -1
                start_timeout = "200ms"
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .hasMessageStartingWith("Service slow (scripted, slow:1) did not become healthy within 200 ms "
                        + "(last check: scripted to never become healthy)");
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void twoServicesFailingAtOnceAreBothReported() throws Exception {
        // Arrange
        runtime.failStartOf("a:1", "boom a").failStartOf("b:1", "boom b");
        LoadedFile file = file("""
                [services.a]
                type = "scripted"
                image = "a:1"
                start_delay_ms = 200
                [services.b]
                type = "scripted"
                image = "b:1"
                start_delay_ms = 200
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .hasMessageStartingWith("2 services failed to start:")
                .hasMessageContaining("Service a (scripted, a:1) could not start: boom a")
                .hasMessageContaining("Service b (scripted, b:1) could not start: boom b");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void dependentOfAFailedServiceIsNeverStarted() throws Exception {
        // Arrange
        runtime.failStartOf("db:1", "no db");
        LoadedFile file = file("""
                [services.db]
                type = "scripted"
                image = "db:1"
                [services.api]
                type = "scripted"
                image = "api:1"
                depends_on = ["db"]
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .hasMessageStartingWith("Service db (scripted, db:1) could not start: no db");
        assertThat(runtime.events()).noneMatch(e -> e.startsWith("start ") && e.endsWith("-api"));
    }

    @Test
    void stopIsIdempotentAndRemovesEverything() throws Exception {
        // Arrange
        LoadedFile file = file("""
                [services.one]
                type = "scripted"
                image = "x"
                """);
        Environment environment = engine.start(file);

        // Act
        environment.stop();
        environment.stop();
        environment.close();

        // Assert
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
        assertThat(runtime.events().stream().filter(e -> e.startsWith("remove ")))
                .hasSize(1);
        assertThat(log.lines())
                .filteredOn(l -> l.contains("Removed the containers and network of run"))
                .hasSize(1);
    }

    @Test
    void aServiceThatExitedDuringTheRunIsNamedWithItsExitAndLastLogLinesWhenTheRunEnds() throws Exception {
        // Arrange: db crashes while the tests run (e.g. Failsafe's), api stays up
        runtime.logsOf("db:1", "ready\nFATAL: out of shared memory\n");
        LoadedFile file = file("""
                [services.db]
                type = "scripted"
                image = "db:1"

                [services.api]
                type = "scripted"
                image = "api:1"
                """);
        Environment environment = engine.start(file);
        runtime.kill(environment.service("db").orElseThrow().handle().containerId());

        // Act
        environment.stop();

        // Assert: one warning for db, none for api, and everything removed as usual
        assertThat(log.lines())
                .filteredOn(l -> l.contains("was no longer running when the run ended"))
                .singleElement()
                .asString()
                .contains("Service db (scripted, db:1) was no longer running when the run ended: it exited with code "
                        + "137 (a test or step that could not reach it may have failed for this reason)")
                .contains("Last log lines of db:\n    | ready\n    | FATAL: out of shared memory");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void startSweepsContainersOfDeadBuildsButNotOfLiveOrKeptOnes() throws Exception {
        // Arrange: a leftover of a dead process on this host, and one of a live process (ours);
        // owner = jvm-id/host/pid/start/pid-namespace
        String[] ours = Labels.currentOwner().split("/");
        String deadOwner = String.join("/", "another-jvm", ours[1], "999999999", ours[3], ours[4]);
        runtime.plant(ContainerSpec.builder("old")
                .name("clnrm-dead-x")
                .label(Labels.OWNER, deadOwner)
                .label(Labels.RUN, "dead")
                .build());
        runtime.plant(ContainerSpec.builder("live")
                .name("clnrm-live-x")
                .label(Labels.OWNER, Labels.currentOwner())
                .label(Labels.RUN, "live")
                .build());
        runtime.plant(ContainerSpec.builder("other")
                .name("clnrm-other-host")
                .label(Labels.OWNER, "another-jvm/another-host/1/1/another-namespace")
                .label(Labels.RUN, "other")
                .build());
        runtime.plant(ContainerSpec.builder("kept")
                .name("clnrm-kept-x")
                .label(Labels.OWNER, deadOwner)
                .label(Labels.RUN, "kept")
                .label(Labels.KEEP, "true")
                .build());
        LoadedFile file = file("""
                [services.one]
                type = "scripted"
                image = "x"
                """);

        // Act
        try (Environment environment = engine.start(file)) {
            // Assert
            assertThat(runtime.runningSpecs())
                    .extracting(s -> s.name().orElseThrow())
                    .contains("clnrm-live-x", "clnrm-other-host", "clnrm-kept-x")
                    .doesNotContain("clnrm-dead-x");
            assertThat(log.text())
                    .contains("Removed 1 container(s) and 0 network(s) left behind by a build that died " + "(owner "
                            + deadOwner + "): clnrm-dead-x");
        }
    }

    @Test
    void aContainerWithAnOwnerLabelButNoRunLabelNeitherBreaksTheSweepNorIsRemoved() throws Exception {
        // Arrange: anyone may label a container; one with only our owner label must not stop builds
        runtime.plant(ContainerSpec.builder("stray")
                .name("stray-owner-only")
                .label(Labels.OWNER, Labels.currentOwner())
                .build());
        LoadedFile file = file("""
                [services.one]
                type = "scripted"
                image = "x"
                """);

        // Act
        try (Environment environment = engine.start(file)) {
            // Assert
            assertThat(environment.services()).hasSize(1);
            assertThat(runtime.runningSpecs())
                    .extracting(s -> s.name().orElseThrow())
                    .contains("stray-owner-only");
        }
    }

    @Test
    void secretsNeverAppearInStartFailures() throws Exception {
        // Arrange
        runtime.exitAtStart("db:1", 1).logsOf("db:1", "login failed for password s3cr3t-value\n");
        LoadedFile file = file("""
                [services.db]
                type = "scripted"
                image = "db:1"
                password = "s3cr3t-value"
                healthy_after = 5
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .hasMessageContaining("login failed for password ****")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t-value"));
    }

    /** Test double of a plugin that needs every other service ready first, like a fault injector. */
    static final class WatcherPlugin implements dev.cleanroom.engine.spi.ServicePlugin {
        final java.util.Map<String, String> seenPeers = new java.util.concurrent.ConcurrentHashMap<>();
        /** Whether each peer's container still ran when this service's own stop was done with its work. */
        final java.util.Map<String, Boolean> peersRunningAtStop = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String type() {
            return "watcher";
        }

        @Override
        public String description() {
            return "waits for every other service";
        }

        @Override
        public List<dev.cleanroom.engine.spi.Key<?>> keys() {
            return List.of();
        }

        @Override
        public dev.cleanroom.engine.spi.ServiceDefinition define(dev.cleanroom.engine.spi.Settings settings) {
            java.util.Set<String> others = java.util.Set.copyOf(settings.serviceNames());
            String name = settings.serviceName();
            return new dev.cleanroom.engine.spi.ServiceDefinition() {
                @Override
                public java.util.Set<String> implicitDependencies() {
                    return others;
                }

                @Override
                public dev.cleanroom.engine.spi.Service create(dev.cleanroom.engine.spi.ServiceContext context) {
                    return new Watcher(name, context);
                }
            };
        }

        /** One run of the watcher. */
        private final class Watcher implements dev.cleanroom.engine.spi.Service {
            private final String name;
            private final dev.cleanroom.engine.spi.ServiceContext context;
            private dev.cleanroom.engine.spi.ServiceHandle handle;

            Watcher(String name, dev.cleanroom.engine.spi.ServiceContext context) {
                this.name = name;
                this.context = context;
            }

            @Override
            public void start() throws dev.cleanroom.engine.spi.CleanroomException {
                for (String peer : List.of("db", "api")) {
                    context.service(peer).ifPresent(h -> seenPeers.put(peer, h.containerId()));
                }
                handle = dev.cleanroom.engine.spi.ServiceHandle.of(
                        name,
                        context.containers()
                                .startContainer(
                                        ContainerSpec.builder("watcher:1").build()));
            }

            @Override
            public dev.cleanroom.engine.spi.HealthStatus checkHealth() {
                return dev.cleanroom.engine.spi.HealthStatus.ok();
            }

            @Override
            public dev.cleanroom.engine.spi.ServiceHandle handle() {
                return handle;
            }

            @Override
            public void stop() throws dev.cleanroom.engine.spi.CleanroomException {
                // Slow on purpose, as recovering injected faults is: a peer stopped alongside, not after,
                // would be gone by the time this looks.
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (String peer : seenPeers.keySet()) {
                    peersRunningAtStop.put(peer, context.containers().isRunning(seenPeers.get(peer)));
                }
                if (handle != null) {
                    context.containers().stopContainer(handle.containerId());
                }
            }
        }
    }

    @Test
    void pluginWithImplicitDependenciesStartsAfterThemAndSeesTheirHandles() throws Exception {
        // Arrange
        WatcherPlugin watcher = new WatcherPlugin();
        CleanroomEngine withWatcher = TestEngines.builder(
                        new ServiceFactory().register(new ScriptedPlugin()).register(watcher), runtime.factory())
                .build();
        Path path = dir.resolve("watch.clnrm.toml");
        Files.writeString(path, """
                [services.watch]
                type = "watcher"
                [services.db]
                type = "scripted"
                image = "db"
                start_delay_ms = 200
                [services.api]
                type = "scripted"
                image = "api"
                healthy_after = 3
                """);

        // Act
        try (Environment environment = withWatcher.start(withWatcher.load(path))) {
            // Assert
            assertThat(watcher.seenPeers).containsOnlyKeys("db", "api");
            List<String> starts = runtime.events().stream()
                    .filter(e -> e.startsWith("start "))
                    .toList();
            assertThat(starts.get(2)).endsWith("-watch");
        }
    }

    @Test
    void pluginWithImplicitDependenciesStopsBeforeTheServicesItNeeds() throws Exception {
        // Arrange
        WatcherPlugin watcher = new WatcherPlugin();
        CleanroomEngine withWatcher = TestEngines.builder(
                        new ServiceFactory().register(new ScriptedPlugin()).register(watcher), runtime.factory())
                .build();
        Path path = dir.resolve("watch.clnrm.toml");
        Files.writeString(path, """
                [services.db]
                type = "scripted"
                image = "db"
                [services.watch]
                type = "watcher"
                [services.api]
                type = "scripted"
                image = "api"
                """);
        Environment environment = withWatcher.start(withWatcher.load(path));
        String prefix = "remove clnrm-" + environment.runId().substring(0, 8) + "-";

        // Act
        environment.stop();

        // Assert
        assertThat(watcher.peersRunningAtStop)
                .containsOnly(java.util.Map.entry("db", true), java.util.Map.entry("api", true));
        assertThat(runtime.events())
                .containsSubsequence(prefix + "watch", prefix + "db")
                .containsSubsequence(prefix + "watch", prefix + "api");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void twoPluginsThatNeedEachOtherAreRefusedAtLoadNamingTheCycle() throws Exception {
        // Arrange: each watcher needs every other service, so each needs the other.
        CleanroomEngine withWatcher = TestEngines.builder(
                        new ServiceFactory().register(new ScriptedPlugin()).register(new WatcherPlugin()),
                        runtime.factory())
                .build();
        Path path = dir.resolve("watch.clnrm.toml");
        Files.writeString(path, """
                [services.left]
                type = "watcher"
                [services.right]
                type = "watcher"
                """);

        // Act + Assert: refused before anything starts, instead of a warning and a start without waiting.
        assertThatThrownBy(() -> withWatcher.load(path))
                .isInstanceOf(dev.cleanroom.engine.api.ConfigException.class)
                .hasMessageContaining("services depend on each other in a cycle: left -> right -> left; "
                        + "left -> right at watch.clnrm.toml:1 (implicitly, as its plugin needs), "
                        + "right -> left at watch.clnrm.toml:3 (implicitly, as its plugin needs)");
        assertThat(runtime.networkCount()).isZero();
    }
}
