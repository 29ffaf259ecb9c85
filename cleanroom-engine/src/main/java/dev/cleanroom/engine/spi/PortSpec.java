package dev.cleanroom.engine.spi;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port to publish: {@code "8080"} (random host port), {@code "18080:8080"}, or
 * {@code "0.0.0.0:18080:8080"}; an optional {@code /tcp} or {@code /udp} suffix. Without an
 * address the port is published on 127.0.0.1 only, so a test service is never reachable from
 * the network unless the user asks for it.
 *
 * @param hostPort 0 means "any free port", chosen by Docker
 */
public record PortSpec(String hostIp, int hostPort, int containerPort, String protocol) {

    public static final String LOOPBACK = "127.0.0.1";
    private static final Pattern FORMAT = Pattern.compile(
            "(?:(?<ip>\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+]):)?(?:(?<host>\\d{1,5}):)?(?<container>\\d{1,5})(?:/(?<proto>tcp|udp))?");

    public PortSpec {
        checkRange(containerPort, 1, "container port");
        checkRange(hostPort, 0, "host port");
        hostIp = hostIp == null || hostIp.isEmpty() ? LOOPBACK : hostIp;
        protocol = protocol == null ? "tcp" : protocol;
    }

    public static PortSpec container(int containerPort) {
        return new PortSpec(LOOPBACK, 0, containerPort, "tcp");
    }

    /** Parses the user's notation, or explains what is wrong with it. */
    public static PortSpec parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a port mapping; write \"8080\", "
                    + "\"18080:8080\" (host:container) or \"0.0.0.0:18080:8080\" to bind another address");
        }
        String ip = Optional.ofNullable(m.group("ip"))
                .map(s -> s.replaceAll("^\\[|]$", ""))
                .orElse(LOOPBACK);
        if (ip.contains(".")
                && java.util.Arrays.stream(ip.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
            throw new IllegalArgumentException("\"" + ip + "\" in \"" + text + "\" is not an IPv4 address");
        }
        int host = m.group("host") == null ? 0 : Integer.parseInt(m.group("host"));
        return new PortSpec(ip, host, Integer.parseInt(m.group("container")), m.group("proto"));
    }

    /**
     * The address to reach this port at, given the daemon's host address: the address the user
     * bound it to (e.g. {@code ::1}, {@code 192.168.1.5}), or the daemon's host address when the
     * port is on every address ({@code 0.0.0.0}, {@code ::}) or on the default loopback.
     */
    public String reachableHost(String daemonHost) {
        return hostIp.equals(LOOPBACK) || hostIp.equals("0.0.0.0") || hostIp.equals("::") ? daemonHost : hostIp;
    }

    /** {@code host:port}, with an IPv6 host in brackets as URLs and socket addresses write it. */
    public static String hostAndPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static void checkRange(int port, int min, String what) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is outside " + min + "..65535");
        }
    }
}
