package dev.cleanroom.maven;

import dev.cleanroom.engine.api.DockerJavaProvider;
import dev.cleanroom.engine.api.DockerUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.util.List;
import java.util.Properties;
import org.apache.maven.plugin.logging.Log;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;

/**
 * docker-java's client, resolved and added to the plugin's class realm only when a daemon needs it
 * (TLS, a named pipe, {@code -Dcleanroom.docker.client=docker-java}). Declared as a dependency of
 * the plugin, its twenty jars cost every build about 0.5 s before the first goal runs (measured:
 * the reused start phase of bench/reuse.sh, issue #17), for daemons most builds never talk to.
 */
final class DockerJavaOnDemand implements DockerJavaProvider {

    /** The jars DockerJavaTransport needs; the rest comes with them. */
    static final List<String> ARTIFACTS =
            List.of("com.github.docker-java:docker-java-core", "com.github.docker-java:docker-java-transport-zerodep");

    /** One resolution per realm, whichever module of a parallel build asks first. */
    private static final Object ADDING = new Object();

    private final RepositorySystem repositorySystem;
    private final RepositorySystemSession session;
    private final List<RemoteRepository> repositories;
    private final ClassLoader realm;
    private final Log log;

    DockerJavaOnDemand(
            RepositorySystem repositorySystem,
            RepositorySystemSession session,
            List<RemoteRepository> repositories,
            ClassLoader realm,
            Log log) {
        this.repositorySystem = repositorySystem;
        this.session = session;
        this.repositories = List.copyOf(repositories);
        this.realm = realm;
        this.log = log;
    }

    /** The docker-java version the engine is compiled against (filtered into the plugin's jar). */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = DockerJavaOnDemand.class.getResourceAsStream("docker-java.properties")) {
            if (in == null) {
                throw new IllegalStateException("docker-java.properties is missing from the plugin's jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read docker-java.properties from the plugin's jar", e);
        }
        return properties.getProperty("version");
    }

    @Override
    public void provide(String why) throws DockerUnavailableException {
        if (!(realm instanceof ClassRealm classRealm) || repositorySystem == null || session == null) {
            return; // not in a Maven realm (a unit test): the connection says which jars are missing
        }
        String version = version();
        synchronized (ADDING) {
            if (loadable()) {
                return;
            }
            CollectRequest collect = new CollectRequest();
            ARTIFACTS.forEach(artifact ->
                    collect.addDependency(new Dependency(new DefaultArtifact(artifact + ":" + version), "runtime")));
            collect.setRepositories(repositories);
            List<ArtifactResult> jars;
            try {
                jars = repositorySystem
                        .resolveDependencies(session, new DependencyRequest(collect, null))
                        .getArtifactResults();
            } catch (DependencyResolutionException e) {
                throw new DockerUnavailableException(
                        "The Docker daemon needs docker-java's client (" + why + "), and docker-java " + version
                                + " could not be resolved: " + e.getMessage() + ". Perhaps you should build once "
                                + "online, or add " + String.join(" and ", ARTIFACTS) + " (version " + version
                                + ") to the plugin's <dependencies>.",
                        e);
            }
            for (ArtifactResult jar : jars) {
                try {
                    classRealm.addURL(jar.getArtifact().getFile().toURI().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(
                            "Not a URL: " + jar.getArtifact().getFile(), e);
                }
            }
            log.info("Using docker-java " + version + " (" + why + "): resolved " + jars.size() + " jars");
        }
    }

    private boolean loadable() {
        try {
            Class.forName("com.github.dockerjava.zerodep.ZerodepDockerHttpClient", false, realm);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
