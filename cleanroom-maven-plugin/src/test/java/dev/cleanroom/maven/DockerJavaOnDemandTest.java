package dev.cleanroom.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.DockerUnavailableException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.junit.jupiter.api.Test;

class DockerJavaOnDemandTest {

    @Test
    void knowsTheDockerJavaVersionTheEngineIsBuiltWith() {
        // The build filters it into the plugin's jar; unfiltered it would read ${docker-java.version}.
        assertThat(DockerJavaOnDemand.version()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void asksForDockerJavaCoreAndTheZerodepTransportAtTheEnginesVersion() throws Exception {
        // Arrange: a realm without docker-java; a repository system that records what it is asked
        List<String> asked = new ArrayList<>();
        RepositorySystem repositories = repositorySystem(request -> {
            for (Dependency dependency : request.getCollectRequest().getDependencies()) {
                asked.add(dependency.getArtifact().getGroupId() + ":"
                        + dependency.getArtifact().getArtifactId() + ":"
                        + dependency.getArtifact().getVersion() + ":" + dependency.getScope());
            }
            return new DependencyResult(request);
        });

        // Act
        onDemand(repositories).provide("tcp://docker.example:2376 speaks TLS");

        // Assert
        String version = DockerJavaOnDemand.version();
        assertThat(asked)
                .containsExactly(
                        "com.github.docker-java:docker-java-core:" + version + ":runtime",
                        "com.github.docker-java:docker-java-transport-zerodep:" + version + ":runtime");
    }

    @Test
    void aDockerJavaThatCannotBeResolvedFailsTheConnectionSayingWhatToDo() {
        // Arrange: e.g. mvn -o with docker-java not yet in the local repository
        RepositorySystem offline = repositorySystem(request -> {
            throw new DependencyResolutionException(
                    new DependencyResult(request), "Cannot access central in offline mode", null);
        });

        // Act + Assert
        String version = DockerJavaOnDemand.version();
        assertThatThrownBy(() -> onDemand(offline).provide("tcp://docker.example:2376 speaks TLS"))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessage("The Docker daemon needs docker-java's client (tcp://docker.example:2376 speaks TLS), and "
                        + "docker-java " + version + " could not be resolved: Cannot access central in offline mode. "
                        + "Perhaps you should build once online, or add com.github.docker-java:docker-java-core and "
                        + "com.github.docker-java:docker-java-transport-zerodep (version " + version
                        + ") to the plugin's <dependencies>.");
    }

    /** What the fake repository system does with a dependency request. */
    private interface Resolution {
        DependencyResult resolve(DependencyRequest request) throws DependencyResolutionException;
    }

    private static RepositorySystem repositorySystem(Resolution resolution) {
        return (RepositorySystem) Proxy.newProxyInstance(
                DockerJavaOnDemandTest.class.getClassLoader(),
                new Class<?>[] {RepositorySystem.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("resolveDependencies")) {
                        return resolution.resolve((DependencyRequest) args[1]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static DockerJavaOnDemand onDemand(RepositorySystem repositories) throws Exception {
        // A realm of its own, with nothing but the JDK: docker-java is not loadable from it.
        ClassRealm realm = new ClassWorld().newRealm("test-" + System.nanoTime(), null);
        RepositorySystemSession session = (RepositorySystemSession) Proxy.newProxyInstance(
                DockerJavaOnDemandTest.class.getClassLoader(),
                new Class<?>[] {RepositorySystemSession.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        return new DockerJavaOnDemand(repositories, session, List.of(), realm, new SystemStreamLog());
    }
}
