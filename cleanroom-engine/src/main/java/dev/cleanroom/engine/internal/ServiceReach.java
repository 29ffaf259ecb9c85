package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.PortSpec;
import dev.cleanroom.engine.spi.VolumeMount;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How this build reaches the services of a run, decided once per connection: where published
 * ports bind, which host and port are exported to tests and dialled by health checks, and what
 * a bind mount's host path means to the daemon.
 * <ul>
 *   <li>{@link Mode#ON_HOST}: the daemon runs on this machine (a unix socket or loopback tcp) and
 *   this process is not in one of its containers. Ports are published on 127.0.0.1 and reached
 *   there.</li>
 *   <li>{@link Mode#IN_CONTAINER}: this process runs in a container of the daemon (confirmed with
 *   the daemon, see {@link InContainerDetection}). That container joins each run's network and
 *   reaches a service at its IP there, on the container port; a bind mount's host path is a path
 *   in this container and is translated through its mounts.</li>
 *   <li>{@link Mode#REMOTE}: the daemon is on another host (tcp or TLS, not loopback). Ports are
 *   published on every address of that host and reached at its address; bind mounts are checked
 *   before use, as that host may not share this one's files.</li>
 * </ul>
 * An override ({@code cleanroom.hostAddress}, {@code CLEANROOM_HOST_ADDRESS}) replaces the
 * exported host for any mode, as Testcontainers' {@code TESTCONTAINERS_HOST_OVERRIDE} does.
 */
public final class ServiceReach {

    /** The Maven/system property that overrides the exported host. */
    public static final String OVERRIDE_PROPERTY = "cleanroom.hostAddress";
    /** The environment variable that overrides the exported host (below the property). */
    public static final String OVERRIDE_ENV = "CLEANROOM_HOST_ADDRESS";

    static final String EVERY_ADDRESS = "0.0.0.0";

    /** Where the build runs relative to the daemon. */
    public enum Mode {
        ON_HOST,
        IN_CONTAINER,
        REMOTE
    }

    /** A mount of the build's container as the daemon reports it: daemon host path to path inside. */
    public record Mount(String source, String destination) {}

    private final Mode mode;
    private final String daemon;
    private final String daemonAddress;
    private final String containerId;
    private final List<Mount> mounts;
    private final Override override;

    /** The override and where it came from (e.g. "CLEANROOM_HOST_ADDRESS"). */
    public record Override(String address, String source) {}

    private ServiceReach(
            Mode mode, String daemon, String daemonAddress, String containerId, List<Mount> mounts, Override override) {
        this.mode = mode;
        this.daemon = daemon;
        this.daemonAddress = daemonAddress;
        this.containerId = containerId;
        this.mounts = List.copyOf(mounts);
        this.override = override;
    }

    public static ServiceReach onHost(String daemon) {
        return new ServiceReach(Mode.ON_HOST, daemon, PortSpec.LOOPBACK, null, List.of(), null);
    }

    public static ServiceReach inContainer(String daemon, String containerId, List<Mount> mounts) {
        return new ServiceReach(
                Mode.IN_CONTAINER, daemon, PortSpec.LOOPBACK, Objects.requireNonNull(containerId), mounts, null);
    }

    public static ServiceReach remote(String daemon, String daemonAddress) {
        return new ServiceReach(Mode.REMOTE, daemon, daemonAddress, null, List.of(), null);
    }

    /** This reach with the exported host replaced by the user's address. */
    public ServiceReach overriddenBy(Override chosen) {
        return new ServiceReach(mode, daemon, daemonAddress, containerId, mounts, Objects.requireNonNull(chosen));
    }

    /**
     * Whether the daemon at {@code dockerHost} runs on another host: tcp (or TLS, or http/https)
     * to an address that is not loopback. Unix sockets and named pipes are local by nature.
     */
    public static boolean isRemote(URI dockerHost) {
        String scheme = dockerHost.getScheme();
        if (scheme == null || scheme.equals("unix") || scheme.equals("npipe")) {
            return false;
        }
        return !isLoopback(addressOf(dockerHost));
    }

    /** The host part of a tcp DOCKER_HOST, without IPv6 brackets. */
    public static String addressOf(URI dockerHost) {
        String host = dockerHost.getHost();
        if (host == null) {
            return PortSpec.LOOPBACK;
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    public static boolean isLoopback(String address) {
        return address.equals("localhost")
                || address.startsWith("127.")
                || address.equals("::1")
                || address.equals("0:0:0:0:0:0:0:1");
    }

    /**
     * Refuses {@code ssh://} daemons with the reason and a way out: Cleanroom speaks to the daemon
     * over a socket or tcp only, and an ssh tunnel would also have to carry every published port.
     */
    public static void refuseSsh(String dockerHost) {
        if (dockerHost != null && dockerHost.trim().startsWith("ssh://")) {
            throw new IllegalArgumentException("DOCKER_HOST=" + dockerHost.trim() + " is an ssh:// daemon, which "
                    + "Cleanroom does not support: it speaks to a daemon over a unix socket or tcp, and its services' "
                    + "ports would not be reachable through the ssh connection. Perhaps you should forward the "
                    + "daemon's socket (ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock HOST) and set "
                    + "DOCKER_HOST=unix:///tmp/docker.sock together with -D" + OVERRIDE_PROPERTY
                    + "=<an address of HOST this build can reach>, or use tcp://HOST:2376 with TLS");
        }
    }

    /**
     * The user's override: the Maven parameter or system property {@code cleanroom.hostAddress},
     * else the environment variable {@code CLEANROOM_HOST_ADDRESS}. Blank means "not set".
     */
    public static Optional<Override> override(String configured, String systemProperty, String environment) {
        if (configured != null && !configured.isBlank()) {
            return Optional.of(new Override(checkedAddress(configured, OVERRIDE_PROPERTY), OVERRIDE_PROPERTY));
        }
        if (systemProperty != null && !systemProperty.isBlank()) {
            return Optional.of(new Override(checkedAddress(systemProperty, OVERRIDE_PROPERTY), OVERRIDE_PROPERTY));
        }
        if (environment != null && !environment.isBlank()) {
            return Optional.of(new Override(checkedAddress(environment, OVERRIDE_ENV), OVERRIDE_ENV));
        }
        return Optional.empty();
    }

    /** A host name or IP address: no scheme, no port, no path; IPv6 brackets are dropped. */
    static String checkedAddress(String value, String source) {
        String address = value.trim();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        boolean ipv6 = address.matches("[0-9a-fA-F:.]+") && address.contains(":");
        if (address.isEmpty() || address.contains("/") || address.contains(" ") || !ipv6 && address.contains(":")) {
            throw new IllegalArgumentException(source + " = \"" + value + "\" is not a host address. Perhaps you "
                    + "should write only the host name or IP address the build reaches the services' ports on, e.g. "
                    + source + "=host.docker.internal or 172.17.0.1 (no scheme, port or path)");
        }
        return address;
    }

    /** The daemon's endpoint, as DOCKER_HOST would say it. */
    public String daemon() {
        return daemon;
    }

    public Mode mode() {
        return mode;
    }

    public Optional<Override> override() {
        return Optional.ofNullable(override);
    }

    /** The build's own container, in {@link Mode#IN_CONTAINER}. */
    public Optional<String> containerId() {
        return Optional.ofNullable(containerId);
    }

    /** Whether the build's container joins each run's network and dials services at their IPs there. */
    public boolean joinsRunNetwork() {
        return mode == Mode.IN_CONTAINER && override == null;
    }

    /** Whether a pid the daemon reports is a process this JVM may look up and signal. */
    public boolean sharesProcessesWithDaemon() {
        return mode == Mode.ON_HOST;
    }

    /** Whether bind mounts must be shown to reach the daemon before a container uses them. */
    public boolean checksBindMounts() {
        return mode == Mode.REMOTE;
    }

    /**
     * The address ports without an address of their own are published on: loopback where the
     * build is on the daemon's host (or dials the services on their network), every address where
     * it must come from elsewhere (a remote daemon, or an override that is not loopback).
     */
    public String publishAddress() {
        if (override != null) {
            return isLoopback(override.address()) ? PortSpec.LOOPBACK : EVERY_ADDRESS;
        }
        return mode == Mode.REMOTE ? EVERY_ADDRESS : PortSpec.LOOPBACK;
    }

    /** Whether services' ports are published on every address of the daemon's host. */
    public boolean publishesOnEveryAddress() {
        return publishAddress().equals(EVERY_ADDRESS);
    }

    /** {@code port} as it is published: the default loopback replaced by {@link #publishAddress()}. */
    public PortSpec published(PortSpec port) {
        return port.hostIp().equals(PortSpec.LOOPBACK) && !publishAddress().equals(PortSpec.LOOPBACK)
                ? new PortSpec(publishAddress(), port.hostPort(), port.containerPort(), port.protocol())
                : port;
    }

    /** The host exported for services reached through published ports. */
    public String exportedHost() {
        if (override != null) {
            return override.address();
        }
        return mode == Mode.REMOTE ? daemonAddress : PortSpec.LOOPBACK;
    }

    /**
     * What a started container is to tests and health checks: its exported host and, per declared
     * container port, the port to dial. On the run's network that is the container's IP and the
     * container port itself; elsewhere the host port the daemon published.
     */
    public ContainerInfo exported(
            String id,
            String name,
            List<PortSpec> declared,
            Map<Integer, Integer> hostPorts,
            Optional<String> networkAddress) {
        if (joinsRunNetwork() && networkAddress.isPresent()) {
            Map<Integer, Integer> same = new LinkedHashMap<>();
            declared.forEach(port -> same.put(port.containerPort(), port.containerPort()));
            return new ContainerInfo(id, name, networkAddress.get(), same);
        }
        String host = declared.isEmpty() ? exportedHost() : declared.get(0).reachableHost(exportedHost());
        return new ContainerInfo(id, name, host, hostPorts);
    }

    /**
     * The daemon host's path for a bind mount's host path. In a container that is the source of
     * the container's mount holding the path (the deepest one); elsewhere the path itself.
     * Empty when no mount of the build's container holds it: the daemon cannot see it.
     */
    public Optional<Path> daemonPath(Path hostPath) {
        if (mode != Mode.IN_CONTAINER) {
            return Optional.of(hostPath);
        }
        Mount best = null;
        for (Mount mount : mounts) {
            if (hostPath.startsWith(Path.of(mount.destination()))
                    && (best == null
                            || mount.destination().length() > best.destination().length())) {
                best = mount;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        Path relative = Path.of(best.destination()).relativize(hostPath);
        return Optional.of(
                relative.toString().isEmpty()
                        ? Path.of(best.source())
                        : Path.of(best.source()).resolve(relative));
    }

    /** Why a volume cannot be mounted from inside this container; for {@link #daemonPath} being empty. */
    public String untranslatable(VolumeMount volume) {
        return "Volume " + volume.hostPath() + ":" + volume.containerPath() + " cannot be mounted: this build runs in "
                + "container " + shortId() + " and " + volume.hostPath() + " is a path inside it that is not on any of "
                + "its mounts, so the Docker daemon cannot see it. Perhaps you should mount the project directory into "
                + "the build's container (docker run -v \"$PWD\":\"$PWD\" -w \"$PWD\" ...), or keep the volume's files "
                + "under a directory that is mounted (mounted: "
                + (mounts.isEmpty()
                        ? "none"
                        : String.join(
                                ", ", mounts.stream().map(Mount::destination).toList())) + ")";
    }

    private String shortId() {
        return containerId == null ? "" : containerId.substring(0, Math.min(12, containerId.length()));
    }

    /** The one INFO line of a run: what was detected, and which address the services are reached on. */
    public String describe() {
        String detected = switch (mode) {
            case ON_HOST -> "this build runs on the Docker daemon's host (" + daemon + ")";
            case IN_CONTAINER -> "this build runs in container " + shortId() + " of the Docker daemon (" + daemon + ")";
            case REMOTE -> "the Docker daemon is on another host (" + daemon + ")";
        };
        if (override != null) {
            return "Services are reached at " + override.address() + " as " + override.source() + " says (detected: "
                    + detected + "); ports are published on " + publishAddress();
        }
        return switch (mode) {
            case ON_HOST -> "Services are reached at 127.0.0.1: " + detected + "; ports are published on 127.0.0.1";
            case IN_CONTAINER ->
                "Services are reached at their IP addresses on the run's network: " + detected
                        + ", which joins that network; tests get each service's IP and container port";
            case REMOTE ->
                "Services are reached at " + daemonAddress + ": " + detected + "; ports are published on "
                        + EVERY_ADDRESS + " there";
        };
    }

    /** The warning said once per run when ports are published on every address, or empty. */
    public Optional<String> exposureWarning() {
        if (!publishesOnEveryAddress()) {
            return Optional.empty();
        }
        String why = override != null
                ? override.source() + "=" + override.address() + " is not a loopback address"
                : "a daemon on another host (" + daemon + ") requires it";
        return Optional.of("The services' ports are published on every address of the Docker daemon's host, so its "
                + "network can reach them while they run: " + why + ". Perhaps you should use a daemon on a network "
                + "only your builds reach");
    }

    /** Why health checks dial where they do and how to change it: added when a check cannot reach a service. */
    public String dialHint(String dialled) {
        String why = override != null
                ? "as " + override.source() + " says"
                : switch (mode) {
                    case ON_HOST -> "because this build runs on the Docker daemon's host (" + daemon + ")";
                    case IN_CONTAINER ->
                        "because this build runs in container " + shortId()
                                + " of the Docker daemon and reaches services on the run's network";
                    case REMOTE -> "because the Docker daemon is on another host (" + daemon + ")";
                };
        return "Cleanroom dialled " + dialled + " " + why + ". Perhaps you should set the address this build reaches "
                + "the services' ports on: -D" + OVERRIDE_PROPERTY + "=ADDRESS or " + OVERRIDE_ENV + "=ADDRESS";
    }
}
