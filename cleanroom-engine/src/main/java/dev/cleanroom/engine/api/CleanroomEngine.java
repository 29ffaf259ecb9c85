package dev.cleanroom.engine.api;

import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.internal.ContainerRuntime;
import dev.cleanroom.engine.internal.DockerConnector;
import dev.cleanroom.engine.internal.RunningEnvironment;
import dev.cleanroom.engine.internal.Sweeper;
import dev.cleanroom.engine.spi.ServiceFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one entry point for adapters (the Maven plugin, tests, other build tools): load a file,
 * start its services, run its steps, stop everything.
 *
 * <pre>{@code
 * CleanroomEngine engine = CleanroomEngine.builder().log(myLog).build();
 * TestFile file = engine.load(Path.of("hello.clnrm.toml"));   // all config errors at once
 * RunReport report = engine.run(file);                         // start, steps, stop
 * }</pre>
 */
public final class CleanroomEngine {

    /** Long enough for a daemon restart (systemctl restart docker: 2-5 s), short enough for Ctrl-C. */
    public static final Duration DEFAULT_DAEMON_WAIT = Duration.ofSeconds(15);

    private final ServiceFactory factory;
    private final EngineLog log;
    private final RuntimeFactory runtimeFactory;
    private final String project;
    private final boolean keepRunning;
    private final Duration daemonWait;

    private CleanroomEngine(Builder builder) {
        this.keepRunning = builder.keepRunning;
        this.daemonWait = builder.daemonWait;
        this.factory = builder.factory != null ? builder.factory
                : ServiceFactory.discover(builder.classLoader != null ? builder.classLoader
                : CleanroomEngine.class.getClassLoader());
        this.log = builder.log;
        this.runtimeFactory = builder.runtimeFactory;
        this.project = builder.project;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ServiceFactory services() {
        return factory;
    }

    public List<PluginInfo> plugins() {
        List<PluginInfo> infos = new ArrayList<>();
        factory.plugins().forEach((type, plugin) -> infos.add(new PluginInfo(type, plugin.description(),
                plugin.getClass().getName(), List.copyOf(plugin.configSchema().keys()))));
        return infos;
    }

    /** Parses and validates a file; nothing starts. Every problem of the file is in the exception. */
    public TestFile load(Path file) throws ConfigException {
        return new TomlConfigParser(factory).parse(file);
    }

    /** Starts the file's services and waits until each is healthy. Close the result to remove them. */
    public Environment start(TestFile file) throws CleanroomException {
        ContainerRuntime runtime = runtimeFactory.connect(log);
        try {
            return RunningEnvironment.start(file, factory, runtime, log, project, keepRunning, daemonWait);
        } catch (CleanroomException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /**
     * Starts, runs the steps, and stops, whatever happens in between. Failing steps are in the
     * report; exceptions mean the services could not be started or Docker failed.
     */
    public RunReport run(TestFile file) throws CleanroomException {
        Environment environment = start(file);
        long stepsBegin = System.nanoTime();
        List<StepResult> steps;
        Duration stepsDuration;
        try {
            steps = environment.runSteps();
        } finally {
            stepsDuration = Duration.ofNanos(System.nanoTime() - stepsBegin);
            environment.stop();
        }
        return new RunReport(file.path(), file.name(), environment.services(), steps, environment.startDuration(),
                stepsDuration, environment.stop());
    }

    /**
     * Removes every container and network labelled with this engine's project (and what dead
     * builds left), e.g. for a {@code stop} that runs in another build than its {@code start}.
     */
    public int removeProjectContainers() throws CleanroomException {
        try (ContainerRuntime runtime = runtimeFactory.connect(log)) {
            Sweeper.sweepDeadRuns(runtime, log);
            return Sweeper.removeProject(runtime, project, log);
        }
    }

    /** How the engine reaches a container runtime; Docker unless a test says otherwise. */
    @FunctionalInterface
    public interface RuntimeFactory {
        ContainerRuntime connect(EngineLog log) throws CleanroomException;
    }

    public static final class Builder {
        private ServiceFactory factory;
        private ClassLoader classLoader;
        private EngineLog log = EngineLog.silent();
        private RuntimeFactory runtimeFactory = DockerConnector::connect;
        private String project = "default";
        private boolean keepRunning;
        private Duration daemonWait = DEFAULT_DAEMON_WAIT;

        private Builder() {
        }

        /** Use exactly these service types instead of discovering them. */
        public Builder factory(ServiceFactory factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Discover plugins through this class loader (e.g. a Maven plugin's realm). */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        public Builder log(EngineLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        public Builder runtime(RuntimeFactory runtimeFactory) {
            this.runtimeFactory = Objects.requireNonNull(runtimeFactory, "runtimeFactory");
            return this;
        }

        /** A name for the project the services belong to, kept in their labels. */
        public Builder project(String project) {
            this.project = Objects.requireNonNull(project, "project");
            return this;
        }

        /**
         * Marks the runs this engine starts as kept on purpose: other builds' sweeps leave them alone
         * even after this JVM has ended, until a stop of the project removes them.
         */
        public Builder keepRunning(boolean keepRunning) {
            this.keepRunning = keepRunning;
            return this;
        }

        /**
         * How long removing a run waits for a Docker daemon that stopped answering (restarted,
         * crashed) to come back before it gives up and leaves the run to the next sweep.
         */
        public Builder daemonWait(Duration daemonWait) {
            if (daemonWait.isNegative()) {
                throw new IllegalArgumentException("daemonWait must not be negative: " + daemonWait);
            }
            this.daemonWait = daemonWait;
            return this;
        }

        public CleanroomEngine build() {
            return new CleanroomEngine(this);
        }
    }
}
