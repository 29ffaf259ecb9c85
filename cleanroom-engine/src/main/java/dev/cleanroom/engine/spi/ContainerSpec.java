package dev.cleanroom.engine.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a plugin asks of one container. The engine adds the run's network, the service's
 * name as a network alias, the container name and the ownership labels itself, so a plugin
 * cannot forget them and nothing it starts is ever unowned.
 *
 * <p>Deliberately absent: privileged mode. Capabilities exist only for the chaos sidecar.
 */
public final class ContainerSpec {

    private final String image;
    private final Optional<String> name;
    private final Optional<List<String>> command;
    private final Optional<List<String>> entrypoint;
    private final Map<String, String> env;
    private final List<PortSpec> ports;
    private final List<VolumeMount> volumes;
    private final List<String> aliases;
    private final Map<String, String> labels;
    private final Optional<String> user;
    private final Optional<String> workdir;
    private final long shmSizeBytes;
    private final List<String> capAdd;
    private final Optional<String> networkMode;
    private final Optional<String> cgroupParent;
    private final Duration stopTimeout;
    private final List<String> secretEnvNames;
    private final Optional<GpuRequest> gpus;
    private final boolean openStdin;

    private ContainerSpec(
            String image,
            Optional<String> name,
            Optional<List<String>> command,
            Optional<List<String>> entrypoint,
            Map<String, String> env,
            List<PortSpec> ports,
            List<VolumeMount> volumes,
            List<String> aliases,
            Map<String, String> labels,
            Optional<String> user,
            Optional<String> workdir,
            long shmSizeBytes,
            List<String> capAdd,
            Optional<String> networkMode,
            Optional<String> cgroupParent,
            Duration stopTimeout,
            List<String> secretEnvNames,
            Optional<GpuRequest> gpus,
            boolean openStdin) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(name, "name");
        command = command.map(List::copyOf);
        entrypoint = entrypoint.map(List::copyOf);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        ports = List.copyOf(ports);
        volumes = List.copyOf(volumes);
        aliases = List.copyOf(aliases);
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        capAdd = List.copyOf(capAdd);
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        secretEnvNames = List.copyOf(secretEnvNames);
        Objects.requireNonNull(gpus, "gpus");
        this.image = image;
        this.name = name;
        this.command = command;
        this.entrypoint = entrypoint;
        this.env = env;
        this.ports = ports;
        this.volumes = volumes;
        this.aliases = aliases;
        this.labels = labels;
        this.user = user;
        this.workdir = workdir;
        this.shmSizeBytes = shmSizeBytes;
        this.capAdd = capAdd;
        this.networkMode = networkMode;
        this.cgroupParent = cgroupParent;
        this.stopTimeout = stopTimeout;
        this.secretEnvNames = secretEnvNames;
        this.gpus = gpus;
        this.openStdin = openStdin;
    }

    public String image() {
        return image;
    }

    public Optional<String> name() {
        return name;
    }

    public Optional<List<String>> command() {
        return command;
    }

    public Optional<List<String>> entrypoint() {
        return entrypoint;
    }

    public Map<String, String> env() {
        return env;
    }

    public List<PortSpec> ports() {
        return ports;
    }

    public List<VolumeMount> volumes() {
        return volumes;
    }

    public List<String> aliases() {
        return aliases;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public Optional<String> user() {
        return user;
    }

    public Optional<String> workdir() {
        return workdir;
    }

    public long shmSizeBytes() {
        return shmSizeBytes;
    }

    public List<String> capAdd() {
        return capAdd;
    }

    public Optional<String> networkMode() {
        return networkMode;
    }

    public Optional<String> cgroupParent() {
        return cgroupParent;
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    public List<String> secretEnvNames() {
        return secretEnvNames;
    }

    public Optional<GpuRequest> gpus() {
        return gpus;
    }

    public boolean openStdin() {
        return openStdin;
    }

    public static Builder builder(String image) {
        return new Builder(image);
    }

    public Builder toBuilder() {
        return toBuilder(image);
    }

    /** A builder with everything of this spec but its image, e.g. for the same container from a mirror. */
    public Builder toBuilder(String otherImage) {
        Builder b = new Builder(otherImage);
        b.name = name.orElse(null);
        b.command = command.orElse(null);
        b.entrypoint = entrypoint.orElse(null);
        b.env.putAll(env);
        b.ports.addAll(ports);
        b.volumes.addAll(volumes);
        b.aliases.addAll(aliases);
        b.labels.putAll(labels);
        b.user = user.orElse(null);
        b.workdir = workdir.orElse(null);
        b.shmSizeBytes = shmSizeBytes;
        b.capAdd.addAll(capAdd);
        b.networkMode = networkMode.orElse(null);
        b.cgroupParent = cgroupParent.orElse(null);
        b.stopTimeout = stopTimeout;
        b.secretEnvNames.addAll(secretEnvNames);
        b.gpus = gpus.orElse(null);
        b.openStdin = openStdin;
        return b;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ContainerSpec o)) {
            return false;
        }
        return Objects.equals(image, o.image)
                && Objects.equals(name, o.name)
                && Objects.equals(command, o.command)
                && Objects.equals(entrypoint, o.entrypoint)
                && Objects.equals(env, o.env)
                && Objects.equals(ports, o.ports)
                && Objects.equals(volumes, o.volumes)
                && Objects.equals(aliases, o.aliases)
                && Objects.equals(labels, o.labels)
                && Objects.equals(user, o.user)
                && Objects.equals(workdir, o.workdir)
                && Objects.equals(shmSizeBytes, o.shmSizeBytes)
                && Objects.equals(capAdd, o.capAdd)
                && Objects.equals(networkMode, o.networkMode)
                && Objects.equals(cgroupParent, o.cgroupParent)
                && Objects.equals(stopTimeout, o.stopTimeout)
                && Objects.equals(secretEnvNames, o.secretEnvNames)
                && Objects.equals(gpus, o.gpus)
                && Objects.equals(openStdin, o.openStdin)
                && Objects.equals(image, o.image);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                image,
                name,
                command,
                entrypoint,
                env,
                ports,
                volumes,
                aliases,
                labels,
                user,
                workdir,
                shmSizeBytes,
                capAdd,
                networkMode,
                cgroupParent,
                stopTimeout,
                secretEnvNames,
                gpus,
                openStdin,
                image);
    }

    /** The environment as it may be printed: values of secret variables replaced by "****". */
    public Map<String, String> printableEnv() {
        Map<String, String> printable = new LinkedHashMap<>();
        env.forEach((k, v) -> printable.put(k, secretEnvNames.contains(k) ? "****" : v));
        return printable;
    }

    @Override
    public String toString() {
        // Never print raw env values: some are passwords.
        return "ContainerSpec[image=" + image + ", command=" + command.orElse(List.of()) + ", env=" + printableEnv()
                + ", ports=" + ports + ", volumes=" + volumes + "]";
    }

    public static final class Builder {
        private final String image;
        private String name;
        private List<String> command;
        private List<String> entrypoint;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<PortSpec> ports = new ArrayList<>();
        private final List<VolumeMount> volumes = new ArrayList<>();
        private final List<String> aliases = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String user;
        private String workdir;
        private long shmSizeBytes;
        private final List<String> capAdd = new ArrayList<>();
        private String networkMode;
        private String cgroupParent;
        private Duration stopTimeout = Duration.ZERO;
        private final List<String> secretEnvNames = new ArrayList<>();
        private GpuRequest gpus;
        private boolean openStdin;

        private Builder(String image) {
            this.image = Objects.requireNonNull(image, "image");
        }

        /** The container's name; the engine sets it to one unique to the run. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder command(List<String> command) {
            this.command = command;
            return this;
        }

        public Builder entrypoint(List<String> entrypoint) {
            this.entrypoint = entrypoint;
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> values) {
            env.putAll(values);
            return this;
        }

        /** An environment variable whose value must never appear in logs or reports. */
        public Builder secretEnv(String name, String value) {
            env.put(name, value);
            secretEnvNames.add(name);
            return this;
        }

        public Builder port(PortSpec port) {
            ports.add(port);
            return this;
        }

        public Builder ports(List<PortSpec> values) {
            ports.addAll(values);
            return this;
        }

        public Builder volume(VolumeMount volume) {
            volumes.add(volume);
            return this;
        }

        public Builder volumes(List<VolumeMount> values) {
            volumes.addAll(values);
            return this;
        }

        public Builder alias(String alias) {
            aliases.add(alias);
            return this;
        }

        public Builder aliases(List<String> values) {
            aliases.addAll(values);
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder labels(Map<String, String> values) {
            labels.putAll(values);
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder workdir(String workdir) {
            this.workdir = workdir;
            return this;
        }

        public Builder shmSizeBytes(long bytes) {
            this.shmSizeBytes = bytes;
            return this;
        }

        public Builder capAdd(String capability) {
            capAdd.add(capability);
            return this;
        }

        public Builder networkMode(String mode) {
            this.networkMode = mode;
            return this;
        }

        public Builder cgroupParent(String parent) {
            this.cgroupParent = parent;
            return this;
        }

        /** How long to wait after SIGTERM before SIGKILL; zero kills at once. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /** GPUs for the container; null for none. */
        public Builder gpus(GpuRequest gpus) {
            this.gpus = gpus;
            return this;
        }

        /**
         * Keeps the container's stdin open, as {@code docker run -i}: a main process that reads
         * stdin (a shell, the default command of images such as alpine) then waits instead of
         * exiting at once.
         */
        public Builder openStdin(boolean open) {
            this.openStdin = open;
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(
                    image,
                    Optional.ofNullable(name),
                    Optional.ofNullable(command),
                    Optional.ofNullable(entrypoint),
                    env,
                    ports,
                    volumes,
                    aliases,
                    labels,
                    Optional.ofNullable(user),
                    Optional.ofNullable(workdir),
                    shmSizeBytes,
                    capAdd,
                    Optional.ofNullable(networkMode),
                    Optional.ofNullable(cgroupParent),
                    stopTimeout,
                    secretEnvNames,
                    Optional.ofNullable(gpus),
                    openStdin);
        }
    }
}
