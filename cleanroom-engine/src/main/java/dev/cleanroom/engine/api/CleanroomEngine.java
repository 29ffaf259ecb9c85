package dev.cleanroom.engine.api;

import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.internal.ContainerRuntime;
import dev.cleanroom.engine.internal.ImageOptions;
import dev.cleanroom.engine.internal.ImagePrefetch;
import dev.cleanroom.engine.internal.Labels;
import dev.cleanroom.engine.internal.ReuseOptions;
import dev.cleanroom.engine.internal.RunningEnvironment;
import dev.cleanroom.engine.internal.RuntimeFactory;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.internal.Sweeper;
import dev.cleanroom.engine.internal.docker.DockerConnector;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ServicePlugin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The one entry point for adapters (the Maven plugin, tests, other build tools): load a file,
 * start its services, run its steps, stop everything.
 *
 * <pre>{@code
 * CleanroomEngine engine = CleanroomEngine.builder().log(myLog).build();
 * LoadedFile file = engine.load(Path.of("hello.clnrm.toml")); // all config errors at once
 * RunReport report = engine.run(file);                         // start, steps, stop
 * }</pre>
 *
 * <p>An engine built with {@link Builder#connectAhead()} connects to Docker while it finds the
 * service types and reads the files; {@link #close()} closes that connection if no start used it.
 *
 * <p>Only types of this package and of {@code dev.cleanroom.engine.spi} appear in its public
 * methods: the engine's other packages are internal and change without notice. Tests of the
 * engine reach its internal parts (a fake container runtime, a fixed set of legacy plugins)
 * through the package-private {@link Builder#services} and {@link Builder#runtime}.
 */
public final class CleanroomEngine implements AutoCloseable {

    /** Long enough for a daemon restart (systemctl restart docker: 2-5 s), short enough for Ctrl-C. */
    public static final Duration DEFAULT_DAEMON_WAIT = Duration.ofSeconds(15);

    /** The system property naming a registry mirror for Docker Hub images, when the builder names none. */
    public static final String REGISTRY_MIRROR_PROPERTY = "cleanroom.registryMirror";

    /** The environment variable naming a registry mirror, when neither the builder nor the property does. */
    public static final String REGISTRY_MIRROR_ENV = "CLEANROOM_REGISTRY_MIRROR";

    private final ServiceFactory factory;
    private final EngineLog log;
    private final RuntimeFactory runtimeFactory;
    private final String project;
    private final boolean keepRunning;
    private final Duration daemonWait;
    private final ImageOptions imageOptions;
    private final ReuseOptions reuseOptions;
    private CompletableFuture<ContainerRuntime> connectedAhead;

    private CleanroomEngine(Builder builder) {
        this.keepRunning = builder.keepRunning;
        this.daemonWait = builder.daemonWait;
        this.imageOptions = new ImageOptions(
                java.util.Optional.ofNullable(builder.pull),
                firstSet(
                        builder.registryMirror,
                        System.getProperty(REGISTRY_MIRROR_PROPERTY),
                        System.getenv(REGISTRY_MIRROR_ENV)));
        this.log = builder.log;
        this.reuseOptions = new ReuseOptions(
                java.util.Optional.ofNullable(builder.reuse),
                builder.reuseSource,
                builder.reuseTtl,
                builder.reuseLockWait,
                builder.projectDirectory,
                builder.environment);
        String hostAddress = builder.hostAddress;
        Map<String, RegistryLogin> registryLogins = Map.copyOf(builder.registryLogins);
        DockerJavaProvider dockerJava = builder.dockerJava;
        this.runtimeFactory = builder.runtimeFactory != null
                ? builder.runtimeFactory
                : log -> DockerConnector.connect(log, hostAddress, registryLogins, dockerJava);
        this.project = builder.project;
        // Before the service types are discovered: that, too, can happen while it connects.
        this.connectedAhead = builder.connectAhead ? connectInBackground() : null;
        try {
            this.factory = builder.factory != null
                    ? builder.factory
                    : ServiceFactory.discover(
                            builder.classLoader != null ? builder.classLoader : CleanroomEngine.class.getClassLoader());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static java.util.Optional<String> firstSet(String... values) {
        return java.util.Arrays.stream(values)
                .filter(v -> v != null && !v.isBlank())
                .map(String::strip)
                .findFirst();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The service types of this engine; package-private, for tests of the engine. */
    ServiceFactory services() {
        return factory;
    }

    public List<PluginInfo> plugins() {
        List<PluginInfo> infos = new ArrayList<>();
        factory.plugins()
                .forEach((type, plugin) -> infos.add(new PluginInfo(
                        type, plugin.description(), plugin.getClass().getName(), List.copyOf(plugin.keys()))));
        return infos;
    }

    /** Parses and validates a file; nothing starts. Every problem of the file is in the exception. */
    public LoadedFile load(Path file) throws ConfigException {
        return new TomlConfigParser(factory).parse(file);
    }

    /** Starts the file's services and waits until each is healthy. Close the result to remove them. */
    public Environment start(LoadedFile file) throws CleanroomException {
        TestFile parsed = parsed(file);
        ContainerRuntime runtime = connect();
        try {
            return RunningEnvironment.start(
                    parsed, factory, runtime, log, project, keepRunning, daemonWait, imageOptions, reuseOptions);
        } catch (CleanroomException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /**
     * Pulls every image the files' services need (their own and those their plugins start, such
     * as sidecars), several at a time, with progress in the log, as each service's pull policy
     * says: {@code missing} pulls what the daemon lacks, {@code always} everything, {@code never}
     * nothing (and fails on a missing image). Starts no container. Fails listing every image that
     * could not be pulled, after trying all of them.
     */
    public void pullImages(List<? extends LoadedFile> files) throws CleanroomException {
        List<TestFile> parsed = files.stream().map(CleanroomEngine::parsed).toList();
        try (ContainerRuntime runtime = connect()) {
            new ImagePrefetch(runtime, imageOptions, log).fetch(parsed, factory);
        }
    }

    /** What {@link #load} made: the only kind of {@link LoadedFile} there is. */
    private static TestFile parsed(LoadedFile file) {
        if (file instanceof TestFile parsed) {
            return parsed;
        }
        throw new IllegalArgumentException("Not a file CleanroomEngine.load made: " + file.path() + " ("
                + file.getClass().getName() + "); load the file with CleanroomEngine.load");
    }

    /** See {@link Builder#connectAhead()}. */
    private CompletableFuture<ContainerRuntime> connectInBackground() {
        CompletableFuture<ContainerRuntime> connection = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        connection.complete(runtimeFactory.connect(log));
                    } catch (Throwable e) {
                        connection.completeExceptionally(e);
                    }
                },
                "cleanroom-connect");
        thread.setDaemon(true);
        thread.start();
        return connection;
    }

    /** The connection made ahead, once; else a new one. */
    private ContainerRuntime connect() throws CleanroomException {
        CompletableFuture<ContainerRuntime> connection = takeConnectedAhead();
        if (connection == null) {
            return runtimeFactory.connect(log);
        }
        try {
            return connection.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof CleanroomException cause) {
                throw cause;
            }
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    private synchronized CompletableFuture<ContainerRuntime> takeConnectedAhead() {
        CompletableFuture<ContainerRuntime> connection = connectedAhead;
        connectedAhead = null;
        return connection;
    }

    /**
     * Closes the connection made ahead if no start used it (e.g. a file had errors). Environments
     * already started are not affected: they own their connection and close it when stopped.
     */
    @Override
    public void close() {
        CompletableFuture<ContainerRuntime> connection = takeConnectedAhead();
        if (connection != null) {
            connection.thenAccept(ContainerRuntime::close);
        }
    }

    /**
     * Starts, runs the steps, and stops, whatever happens in between. Failing steps are in the
     * report; exceptions mean the services could not be started or Docker failed.
     */
    public RunReport run(LoadedFile file) throws CleanroomException {
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
        return new RunReport(
                file.path(),
                file.name(),
                environment.services(),
                steps,
                environment.startDuration(),
                stepsDuration,
                environment.stop());
    }

    /**
     * Removes every container and network labelled with this engine's project (and what dead
     * builds left), e.g. for a {@code stop} that runs in another build than its {@code start}.
     */
    public int removeProjectContainers() throws CleanroomException {
        try (ContainerRuntime runtime = runtimeFactory.connect(log)) {
            Sweeper.sweepDeadRuns(runtime, log, reuseOptions.ttl());
            // Services kept for reuse stay unless this build said reuse = false itself.
            return Sweeper.removeProject(runtime, project, log, reuseOptions.explicitlyOff());
        }
    }

    /**
     * Removes every service kept for reuse across builds, with its network and any reuse lock: of
     * this engine's project, or of every project on the daemon when {@code allProjects}
     * ({@code cleanroom:clean}). Needs no file. Returns the services removed.
     */
    public int removeReusedServices(boolean allProjects) throws CleanroomException {
        try (ContainerRuntime runtime = runtimeFactory.connect(log)) {
            return Sweeper.removeReused(
                    runtime, allProjects ? java.util.Optional.empty() : java.util.Optional.of(project), log);
        }
    }

    /**
     * Whether the run {@code runId} (an {@link Environment#runId()}, e.g. of a build started with
     * keepRunning) still has containers and every one of them is running: whether the addresses it
     * exported still lead to its services. Removes and starts nothing.
     */
    public boolean isRunUp(String runId) throws CleanroomException {
        Objects.requireNonNull(runId, "runId");
        try (ContainerRuntime runtime = runtimeFactory.connect(log)) {
            return isUp(runtime, containersOf(runtime, runId));
        }
    }

    /**
     * As {@link #isRunUp}, for a process about to use the addresses the run exported (the JUnit 5
     * extension, on a run a build left with keepRunning or for reuse): when the run is up and this
     * process runs in a container of the daemon, its container joins the run's network too. A build
     * in a container exports its services' addresses on that network, which only containers on it
     * reach; the build's own container joined it, but a test JVM in another container (a new
     * devcontainer session, an IDE's container other than the terminal's) did not, and would wait
     * for addresses it cannot reach. On the daemon's host, or with {@code cleanroom.hostAddress}
     * set, it joins nothing. It stays on the network: removing the run's network disconnects it.
     *
     * @return whether the run is up (and, in a container, its network joined)
     * @throws CleanroomException when Docker cannot be asked, or the network cannot be joined
     */
    public boolean reachRun(String runId) throws CleanroomException {
        Objects.requireNonNull(runId, "runId");
        try (ContainerRuntime runtime = runtimeFactory.connect(log)) {
            List<ContainerRuntime.LabeledResource> containers = containersOf(runtime, runId);
            if (!isUp(runtime, containers)) {
                return false;
            }
            if (!runtime.reach().joinsRunNetwork()) {
                return true; // it reaches published ports, or the address it was told
            }
            for (String network : networksOf(runtime, runId, containers)) {
                runtime.joinNetwork(network);
            }
            return true;
        }
    }

    private static List<ContainerRuntime.LabeledResource> containersOf(ContainerRuntime runtime, String runId)
            throws CleanroomException {
        return runtime.findContainers(Labels.RUN).stream()
                .filter(container -> runId.equals(container.labels().get(Labels.RUN)))
                .toList();
    }

    private static boolean isUp(ContainerRuntime runtime, List<ContainerRuntime.LabeledResource> containers)
            throws CleanroomException {
        for (ContainerRuntime.LabeledResource container : containers) {
            if (!runtime.isRunning(container.id())) {
                return false;
            }
        }
        return !containers.isEmpty();
    }

    /**
     * The ids of the run's networks: the one it created carries its run label; services kept for
     * reuse live on a network that outlives each run, labelled with their reuse scope only.
     */
    private static List<String> networksOf(
            ContainerRuntime runtime, String runId, List<ContainerRuntime.LabeledResource> containers)
            throws CleanroomException {
        Set<String> scopes = containers.stream()
                .map(container -> container.labels().get(Labels.REUSE))
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        Set<String> networks = new LinkedHashSet<>();
        runtime.findNetworks(Labels.RUN).stream()
                .filter(network -> runId.equals(network.labels().get(Labels.RUN)))
                .forEach(network -> networks.add(network.id()));
        if (!scopes.isEmpty()) {
            runtime.findNetworks(Labels.REUSE).stream()
                    .filter(network -> scopes.contains(network.labels().get(Labels.REUSE)))
                    .forEach(network -> networks.add(network.id()));
        }
        return List.copyOf(networks);
    }

    public static final class Builder {
        private ServiceFactory factory;
        private ClassLoader classLoader;
        private EngineLog log = EngineLog.silent();
        private RuntimeFactory runtimeFactory;
        private String hostAddress;
        private String project = "default";
        private boolean keepRunning;
        private Duration daemonWait = DEFAULT_DAEMON_WAIT;
        private boolean connectAhead;
        private Map<String, RegistryLogin> registryLogins = Map.of();
        private DockerJavaProvider dockerJava = DockerJavaProvider.none();
        private PullPolicy pull;
        private String registryMirror;
        private Boolean reuse;
        private String reuseSource = "";
        private Duration reuseTtl = Sweeper.DEFAULT_REUSE_TTL;
        private Duration reuseLockWait = ReuseOptions.DEFAULT_LOCK_WAIT;
        private Path projectDirectory = Path.of("").toAbsolutePath();
        private Map<String, String> environment = System.getenv();

        private Builder() {}

        /**
         * The build's say on reuse across builds: true keeps the services running for the next
         * build, which adopts them; false never reuses (and a stop removes reused services too);
         * null says nothing, so the file's {@code [meta] reuse} decides, else reuse is off (and
         * always off in CI unless a setting says true). {@code source} names where the value came
         * from for the log, e.g. {@code -Dcleanroom.reuse}.
         */
        public Builder reuse(Boolean reuse, String source) {
            this.reuse = reuse;
            this.reuseSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /** How long a reused service is kept: sweeps remove older ones, and a start replaces them (default 24 h). */
        public Builder reuseTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("reuseTtl must be positive: " + ttl);
            }
            this.reuseTtl = ttl;
            return this;
        }

        /** How long a start waits for another build's reuse lock of the same file (default 5 min). */
        public Builder reuseLockWait(Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("reuseLockWait must not be negative: " + wait);
            }
            this.reuseLockWait = wait;
            return this;
        }

        /**
         * The project's directory: reuse names each file by its path from here, so that another
         * checkout of the project finds the same services (default: the working directory).
         */
        public Builder projectDirectory(Path projectDirectory) {
            this.projectDirectory = projectDirectory.toAbsolutePath();
            return this;
        }

        /** The environment CI detection reads instead of the process's; package-private, for tests. */
        Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * The build tool's registry logins by server id (Maven: settings.xml {@code <server>}s,
         * passwords decrypted): a pull from a registry whose host is such an id uses that login
         * when the docker config (credHelpers, credsStore, auths, DOCKER_AUTH_CONFIG) has none.
         */
        public Builder registryLogins(Map<String, RegistryLogin> registryLogins) {
            this.registryLogins = Map.copyOf(Objects.requireNonNull(registryLogins, "registryLogins"));
            return this;
        }

        /**
         * Where docker-java's client comes from when a daemon needs it (TLS, a named pipe,
         * {@code -Dcleanroom.docker.client=docker-java}) and the classpath lacks it, e.g. resolved
         * by the build tool then (default: nowhere; the connection fails saying which jars to add).
         */
        public Builder dockerJava(DockerJavaProvider dockerJava) {
            this.dockerJava = Objects.requireNonNull(dockerJava, "dockerJava");
            return this;
        }

        /**
         * The pull policy of every service of the build, over each file's {@code pull} (null: the
         * files decide, else {@link PullPolicy#MISSING}): a CI job can insist on {@code never}
         * (offline, cache warmed by {@code cleanroom:pull}) or {@code always} without editing files.
         */
        public Builder pull(PullPolicy pull) {
            this.pull = pull;
            return this;
        }

        /**
         * A registry mirror for Docker Hub images, {@code host[:port]/prefix}: an image naming no
         * registry that the daemon lacks is taken from {@code prefix/} + its name, as Testcontainers'
         * {@code hub.image.name.prefix}. Null or blank: the system property
         * {@code cleanroom.registryMirror}, else the environment variable
         * {@code CLEANROOM_REGISTRY_MIRROR}, else none.
         */
        public Builder registryMirror(String registryMirror) {
            this.registryMirror = registryMirror;
            return this;
        }

        /**
         * Starts connecting to the container runtime on a background thread at once, for the first
         * {@link CleanroomEngine#start} or {@link CleanroomEngine#run}. Connecting to Docker in a
         * fresh JVM (the client, its JSON mapper, the API version negotiation) takes longer than
         * finding the service types and reading a file, so these need not wait for each other. A
         * failure to connect is thrown by that start, as without this option. Close the engine
         * ({@link CleanroomEngine#close()}) if it may never start anything.
         */
        public Builder connectAhead() {
            this.connectAhead = true;
            return this;
        }

        /**
         * Use exactly these service types instead of discovering them (e.g. a plugin under test, or
         * one an embedding program defines itself). Each is known by its {@code type()}.
         */
        public Builder plugins(ServicePlugin... plugins) {
            ServiceFactory chosen = new ServiceFactory();
            for (ServicePlugin plugin : plugins) {
                chosen.register(Objects.requireNonNull(plugin, "plugin"));
            }
            this.factory = chosen;
            return this;
        }

        /**
         * As {@link #plugins}, with a registry that may hold plugins of the legacy contract too.
         * Package-private: the registry is internal; the engine's tests use it.
         */
        Builder services(ServiceFactory factory) {
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

        /**
         * How the engine reaches a container runtime instead of Docker. Package-private: runtimes
         * are internal; the engine's tests hand it a fake one.
         */
        Builder runtime(RuntimeFactory runtimeFactory) {
            this.runtimeFactory = Objects.requireNonNull(runtimeFactory, "runtimeFactory");
            return this;
        }

        /**
         * The address the build reaches the services' published ports on, instead of the one
         * detected ({@code cleanroom.hostAddress}; null or blank: the system property of that name,
         * else the environment variable {@code CLEANROOM_HOST_ADDRESS}, else detected).
         */
        public Builder hostAddress(String hostAddress) {
            this.hostAddress = hostAddress;
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
