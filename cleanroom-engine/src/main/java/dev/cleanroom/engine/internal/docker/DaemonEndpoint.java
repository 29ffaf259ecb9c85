package dev.cleanroom.engine.internal.docker;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the Docker daemon is and how Cleanroom found it. Kept apart from the connection so that
 * deciding how the build reaches its services can ask where the daemon is and why.
 *
 * @param uri the daemon's address, as DOCKER_HOST would say it
 * @param source where the address came from, in the words the debug output and errors use
 *     ("DOCKER_HOST", "docker context \"colima\"", "Podman", ...)
 * @param tlsCertPath a directory with ca.pem, cert.pem and key.pem when the daemon speaks TLS
 */
record DaemonEndpoint(URI uri, String source, Optional<Path> tlsCertPath) {

    static DaemonEndpoint plain(URI uri, String source) {
        return new DaemonEndpoint(uri, source, Optional.empty());
    }

    /** TLS and named pipes need docker-java's client; Unix sockets and plain TCP do not. */
    public boolean needsDockerJava() {
        return tlsCertPath.isPresent() || !SocketTransport.supports(uri);
    }

    /** The address, and where it came from unless the user named it in DOCKER_HOST themselves. */
    public String describe() {
        return source.equals("DOCKER_HOST") ? uri.toString() : uri + " (" + source + ")";
    }
}
