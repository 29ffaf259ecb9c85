package dev.cleanroom.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.testing.PluginDefinitions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every image a built-in service type will start, as cleanroom:pull and pull = "never" need them ahead. */
class DeclaredImagesTest {

    private static final ServiceFactory FACTORY = ServiceFactory.discover(DeclaredImagesTest.class.getClassLoader());

    private static List<String> images(String type, Map<String, Object> values) {
        ServicePlugin plugin = FACTORY.plugin(type).orElseThrow();
        return PluginDefinitions.define(plugin, "svc", values, Set.of("svc", "db"))
                .images();
    }

    @Test
    void genericContainerDeclaresItsImage() {
        assertThat(images("generic_container", Map.of("image", "postgres:16@sha256:" + "a".repeat(64))))
                .containsExactly("postgres:16@sha256:" + "a".repeat(64));
    }

    @Test
    void modelServersDeclareTheirPinnedImageOrTheTagAndImageTheFileGives() {
        assertThat(images("ollama", Map.of())).containsExactly("ollama/ollama:0.12.10");
        assertThat(images("ollama", Map.of("tag", "0.13.0"))).containsExactly("ollama/ollama:0.13.0");
        assertThat(images("vllm", Map.of("model", "m"))).containsExactly("vllm/vllm-openai:v0.10.2");
        assertThat(images("tgi", Map.of("model", "m", "image", "mirror.corp/tgi:1")))
                .containsExactly("mirror.corp/tgi:1");
    }

    @Test
    void surrealDbAndTheCollectorDeclareTheirDefaultImages() {
        assertThat(images("surrealdb", Map.of())).containsExactly("surrealdb/surrealdb:v3.0.5");
        assertThat(images("otel_collector", Map.of())).containsExactly("otel/opentelemetry-collector-contrib:0.128.0");
    }

    @Test
    void chaosDeclaresItsSidecarAndTheStressorOnlyWhenItStresses() {
        assertThat(images("chaos_engine", Map.of("targets", List.of("db"), "chaos.network.latency_ms", 100L)))
                .containsExactly("nicolaka/netshoot:v0.13");
        assertThat(images("chaos_engine", Map.of("targets", List.of("db"), "chaos.cpu.stress_percent", 50L)))
                .containsExactly("nicolaka/netshoot:v0.13", "ghcr.io/alexei-led/stress-ng:0.20.01");
    }
}
