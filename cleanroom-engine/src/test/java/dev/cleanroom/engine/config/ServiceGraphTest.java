package dev.cleanroom.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.SourcePosition;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one graph of which service waits for which: orders, waves and the cycle problem. */
class ServiceGraphTest {

    private static final Path FILE = Path.of("src", "test", "cleanroom", "graph.clnrm.toml");

    private final Map<String, ServiceConfig> services = new LinkedHashMap<>();

    /**
     * Adds a service whose table starts at {@code line} and whose depends_on (if any) is on the
     * next line; {@code implicit} is what its plugin needs first.
     */
    private void service(String name, int line, List<String> dependsOn, String... implicit) {
        Map<String, SourcePosition> positions =
                dependsOn.isEmpty() ? Map.of() : Map.of("depends_on", new SourcePosition(FILE, line + 1, 1));
        Set<String> needs = new LinkedHashSet<>(List.of(implicit));
        ServiceDefinition definition = new ServiceDefinition() {
            @Override
            public Set<String> implicitDependencies() {
                return needs;
            }

            @Override
            public Service create(ServiceContext context) {
                throw new UnsupportedOperationException("graph tests never start a service");
            }
        };
        services.put(
                name,
                new ServiceConfig(name, "box", new SourcePosition(FILE, line, 1), dependsOn, Map.of(), positions)
                        .withDefinition(definition));
    }

    @Test
    void wavesStartEachServiceOneWaveAfterItsLatestDependency() {
        // Arrange
        service("web", 1, List.of("api", "db"));
        service("api", 5, List.of("db"));
        service("db", 9, List.of());
        service("cache", 12, List.of());

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert
        assertThat(graph.waves()).containsExactly(List.of("db", "cache"), List.of("api"), List.of("web"));
        assertThat(graph.startOrder()).containsExactly("db", "cache", "api", "web");
        assertThat(graph.stopOrder()).containsExactly("web", "api", "cache", "db");
        assertThat(graph.cycleProblem()).isEmpty();
        assertThat(graph.cyclePath()).isEmpty();
    }

    @Test
    void dependenciesComeInDeclaredOrderAndDependentsInFileOrder() {
        // Arrange
        service("web", 1, List.of("db", "api"));
        service("api", 5, List.of("db"));
        service("db", 9, List.of());

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert
        assertThat(graph.dependenciesOf("web")).containsExactly("db", "api");
        assertThat(graph.dependentsOf("db")).containsExactly("web", "api");
        assertThat(graph.dependentsOf("web")).isEmpty();
        assertThat(graph.dependenciesOf("db")).isEmpty();
    }

    @Test
    void implicitDependenciesJoinTheGraphAfterDeclaredOnes() {
        // Arrange
        service("chaos", 1, List.of("api"), "db", "api");
        service("api", 4, List.of());
        service("db", 7, List.of());

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert
        assertThat(graph.dependenciesOf("chaos")).containsExactly("api", "db");
        assertThat(graph.edgesFrom("chaos"))
                .extracting(ServiceGraph.Edge::implicit)
                .containsExactly(false, true);
        assertThat(graph.dependentsOf("db")).containsExactly("chaos");
        assertThat(graph.waves()).containsExactly(List.of("api", "db"), List.of("chaos"));
    }

    @Test
    void implicitDependenciesOnUnknownNamesOrOnItselfMakeNoEdge() {
        // Arrange
        service("chaos", 1, List.of(), "ghost", "chaos", "db");
        service("db", 4, List.of());

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert
        assertThat(graph.dependenciesOf("chaos")).containsExactly("db");
        assertThat(graph.startOrder()).containsExactly("db", "chaos");
    }

    @Test
    void declaredDependenciesOnUnknownNamesOrOnItselfMakeNoEdgeEither() {
        // Arrange: the parser reports these on their own; the graph must not add a second problem.
        service("app", 1, List.of("ghost", "app"));

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert
        assertThat(graph.dependenciesOf("app")).isEmpty();
        assertThat(graph.cycleProblem()).isEmpty();
    }

    @Test
    void declaredCycleNamesThePathAndTheLineOfEveryDependsOn() {
        // Arrange
        service("db", 1, List.of());
        service("a", 3, List.of("db", "b"));
        service("b", 6, List.of("a"));

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert
        assertThat(graph.cyclePath()).containsExactly("a", "b", "a");
        assertThat(graph.cycleProblem()).hasValueSatisfying(p -> {
            assertThat(p.position()).isEqualTo(new SourcePosition(FILE, 4, 1));
            assertThat(p.keyPath()).isEqualTo("services.a.depends_on");
            assertThat(p.message())
                    .isEqualTo("services depend on each other in a cycle: a -> b -> a; "
                            + "a -> b at graph.clnrm.toml:4 (depends_on), b -> a at graph.clnrm.toml:7 (depends_on)");
            assertThat(p.fix()).isEqualTo("remove one of these depends_on entries");
        });
    }

    @Test
    void cycleThroughAnImplicitDependencyNamesTheServiceTableAndSaysThePluginNeedsIt() {
        // Arrange
        service("chaos", 1, List.of(), "app");
        service("app", 4, List.of("chaos"));

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert: placed on the depends_on a user can remove.
        assertThat(graph.cycleProblem()).hasValueSatisfying(p -> {
            assertThat(p.position()).isEqualTo(new SourcePosition(FILE, 5, 1));
            assertThat(p.keyPath()).isEqualTo("services.app.depends_on");
            assertThat(p.message())
                    .isEqualTo("services depend on each other in a cycle: chaos -> app -> chaos; "
                            + "chaos -> app at graph.clnrm.toml:1 (implicitly, as its plugin needs), "
                            + "app -> chaos at graph.clnrm.toml:5 (depends_on)");
            assertThat(p.fix()).isEqualTo("remove one of these depends_on entries");
        });
    }

    @Test
    void cycleOnlyPluginsClosedIsPlacedOnTheFirstServiceTable() {
        // Arrange
        service("left", 1, List.of(), "right");
        service("right", 3, List.of(), "left");

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert
        assertThat(graph.cycleProblem()).hasValueSatisfying(p -> {
            assertThat(p.position()).isEqualTo(new SourcePosition(FILE, 1, 1));
            assertThat(p.keyPath()).isEqualTo("services.left");
            assertThat(p.message())
                    .isEqualTo("services depend on each other in a cycle: left -> right -> left; "
                            + "left -> right at graph.clnrm.toml:1 (implicitly, as its plugin needs), "
                            + "right -> left at graph.clnrm.toml:3 (implicitly, as its plugin needs)");
            assertThat(p.fix()).isEqualTo("change these services' settings so their plugins do not need each other");
        });
    }

    @Test
    void aGraphWithACycleHasNoOrder() {
        // Arrange
        service("a", 1, List.of("b"));
        service("b", 3, List.of("a"));
        ServiceGraph graph = ServiceGraph.of(services);

        // Act + Assert
        assertThatThrownBy(graph::startOrder)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a -> b -> a");
        assertThatThrownBy(graph::stopOrder).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(graph::waves).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aServiceNotInTheGraphIsABugNotAnEmptyList() {
        // Arrange
        service("a", 1, List.of());
        ServiceGraph graph = ServiceGraph.of(services);

        // Act + Assert
        assertThatThrownBy(() -> graph.dependenciesOf("b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> graph.dependentsOf("b")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Longer than any file has; deep enough that a recursive walk overflowed the thread's stack. */
    private static final int LONG_CHAIN = 100_000;

    @Test
    void aLongChainIsOrderedWithoutOverflowingTheStack() {
        // Arrange: s0 <- s1 <- ... each service depends on the one before it
        service("s0", 1, List.of());
        for (int i = 1; i < LONG_CHAIN; i++) {
            service("s" + i, 3 * i + 1, List.of("s" + (i - 1)));
        }

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert
        assertThat(graph.cyclePath()).isEmpty();
        assertThat(graph.waves()).hasSize(LONG_CHAIN);
        assertThat(graph.waves().get(LONG_CHAIN - 1)).containsExactly("s" + (LONG_CHAIN - 1));
        assertThat(graph.startOrder().get(0)).isEqualTo("s0");
    }

    @Test
    void aLongChainClosedIntoACycleIsReportedWithoutOverflowingTheStack() {
        // Arrange: s0 depends on the last one, closing the chain
        service("s0", 1, List.of("s" + (LONG_CHAIN - 1)));
        for (int i = 1; i < LONG_CHAIN; i++) {
            service("s" + i, 3 * i + 1, List.of("s" + (i - 1)));
        }

        // Act
        ServiceGraph graph = ServiceGraph.of(services);

        // Assert
        assertThat(graph.cyclePath()).hasSize(LONG_CHAIN + 1);
        assertThat(graph.cyclePath().get(0)).isEqualTo(graph.cyclePath().get(LONG_CHAIN));
        assertThat(graph.cycleProblem()).isPresent();
    }
}
