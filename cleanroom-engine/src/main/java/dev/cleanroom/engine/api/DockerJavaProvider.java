package dev.cleanroom.engine.api;

/**
 * Makes docker-java's client loadable by the engine's class loader when a daemon needs it (TLS
 * material, a named pipe, or {@code -Dcleanroom.docker.client=docker-java}) and it is missing. The
 * Maven plugin resolves it then instead of declaring it: its twenty jars (Jackson, Guava,
 * BouncyCastle) cost Maven about 0.5 s of dependency resolution on every build that uses the
 * plugin, and most daemons are reached over a Unix socket or plain TCP without it.
 */
@FunctionalInterface
public interface DockerJavaProvider {

    /**
     * Makes docker-java loadable, or throws saying why it could not and what to do.
     *
     * @param why why the daemon needs it, e.g. {@code tcp://docker.example:2376 speaks TLS}
     */
    void provide(String why) throws DockerUnavailableException;

    /** Provides nothing: docker-java is on the classpath or the daemon is refused without it. */
    static DockerJavaProvider none() {
        return why -> {};
    }
}
