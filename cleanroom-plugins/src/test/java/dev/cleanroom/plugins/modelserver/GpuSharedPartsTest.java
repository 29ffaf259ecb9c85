package dev.cleanroom.plugins.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.plugins.container.ImageReference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small shared pieces: sizes, JSON, cache paths, the token's sources. */
class GpuSharedPartsTest {

    @Test
    void sizesParseLikeDockerShmSize() {
        assertThat(ByteSizes.parse("1g")).contains(1L << 30);
        assertThat(ByteSizes.parse("512m")).contains(512L << 20);
        assertThat(ByteSizes.parse("64K")).contains(64L << 10);
        assertThat(ByteSizes.parse("8gb")).contains(8L << 30);
        assertThat(ByteSizes.parse("4096")).contains(4096L);
        assertThat(ByteSizes.parse("lots")).isEmpty();
        assertThat(ByteSizes.parse("1.5g")).isEmpty();
    }

    @Test
    void bytesFormatInDecimalUnits() {
        assertThat(ByteSizes.format(950)).isEqualTo("950 B");
        assertThat(ByteSizes.format(45_960_996)).isEqualTo("46.0 MB");
        assertThat(ByteSizes.format(3_826_793_677L)).isEqualTo("3.8 GB");
    }

    @Test
    void jsonReadsWhatTheServersSend() {
        // Act
        var tags = Json.object("{\"models\":[{\"name\":\"llama2:latest\",\"size\":3826793677,\"details\":{}},"
                        + "{\"name\":\"a\\\"b\\u00e9\"}],\"ok\":true,\"none\":null}")
                .orElseThrow();

        // Assert
        assertThat(Json.objects(tags, "models"))
                .extracting(m -> m.get("name"))
                .containsExactly("llama2:latest", "a\"bé");
        assertThat(Json.number(Json.objects(tags, "models").get(0), "size")).contains(3_826_793_677L);
        assertThat(tags).containsEntry("ok", true).containsEntry("none", null);
        assertThat(Json.object("[1, 2]")).isEmpty();
        assertThat(Json.object("{\"a\":")).isEmpty();
        assertThatThrownBy(() -> Json.parse("{} x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not valid JSON: ");
        assertThat(Json.quote("say \"hi\"\n")).isEqualTo("\"say \\\"hi\\\"\\n\"");
    }

    @Test
    void cacheDirExpandsHomeAndResolvesRelativePathsAtTheTomlFile() {
        // Arrange
        String home = System.getProperty("user.home");
        Path base = Path.of("/project/src/test/cleanroom");

        // Act + Assert
        assertThat(CacheDirectory.resolve("~/.cache/cleanroom/ollama", base))
                .isEqualTo(Path.of(home, ".cache/cleanroom/ollama"));
        assertThat(CacheDirectory.resolve("${user.home}/models", base)).isEqualTo(Path.of(home, "models"));
        assertThat(CacheDirectory.resolve("../models", base)).isEqualTo(Path.of("/project/src/test/models"));
    }

    @Test
    void serverArgsNumbersArePlain() {
        assertThat(ServerArgs.number(0.9)).isEqualTo("0.9");
        assertThat(ServerArgs.number(1.0)).isEqualTo("1");
        assertThat(ServerArgs.number(0.0001)).isEqualTo("0.0001");
    }

    @Test
    void imageReferencesAreCheckedAndTagsDetected() {
        assertThat(ImageReference.isValid("ghcr.io/huggingface/text-generation-inference"))
                .isTrue();
        assertThat(ImageReference.isValid("Ollama")).isFalse();
        assertThat(ImageReference.hasTag("localhost:5000/ollama")).isFalse();
        assertThat(ImageReference.hasTag("localhost:5000/ollama:1")).isTrue();
        assertThat(ImageReference.hasTag("cleanroom/llm-standin:fixture")).isTrue();
    }

    @Test
    void tokenToStringNeverShowsTheValue() {
        assertThat(new HfToken("hf_secretvalue", "the key hf_token").toString())
                .isEqualTo("HfToken[****, from the key hf_token]");
        assertThat(List.of(new HfToken("hf_secretvalue", "x")).toString()).doesNotContain("hf_secretvalue");
    }
}
