package dev.cleanroom.engine.internal.docker;

import java.util.Locale;
import java.util.Set;

/**
 * The registry an image comes from, and how config files name it, as the docker CLI reads them.
 *
 * <p>Docker Hub has several names ({@code docker.io}, {@code index.docker.io},
 * {@code registry-1.docker.io}, and {@code https://index.docker.io/v1/}, under which the CLI
 * stores its credentials); they are one registry here, called {@code docker.io}.
 */
final class RegistryHost {

    static final String HUB = "docker.io";

    /** The server address the CLI asks credential helpers for and stores Hub credentials under. */
    static final String HUB_SERVER_ADDRESS = "https://index.docker.io/v1/";

    private static final Set<String> HUB_ALIASES = Set.of(HUB, "index.docker.io", "registry-1.docker.io");

    private RegistryHost() {}

    /**
     * The registry of {@code image}: its first path part when that looks like a host (has a dot or
     * a port, or is localhost), as the CLI decides; else Docker Hub.
     */
    static String of(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return HUB;
        }
        String first = image.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
        return host ? normalize(first) : HUB;
    }

    /**
     * A registry as config.json or settings.xml may spell it ({@code https://host:5000/v1/},
     * {@code host:5000}, a Hub alias), reduced to the form {@link #of} gives.
     */
    static String normalize(String key) {
        String host = key.trim();
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int path = host.indexOf('/');
        if (path >= 0) {
            host = host.substring(0, path);
        }
        host = host.toLowerCase(Locale.ROOT);
        return HUB_ALIASES.contains(host) ? HUB : host;
    }

    /** What the registry is called towards credential helpers and the daemon. */
    static String serverAddress(String registry) {
        return registry.equals(HUB) ? HUB_SERVER_ADDRESS : registry;
    }
}
