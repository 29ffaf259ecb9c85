package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.spi.OutputCut;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What is kept of one output stream: a bounded head and tail, cut at line boundaries. */
class CappedOutputTest {

    private static CappedOutput written(int head, int tail, String... chunks) {
        CappedOutput output = new CappedOutput(head, tail);
        for (String chunk : chunks) {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            output.write(bytes, bytes.length);
        }
        return output;
    }

    @Test
    void outputThatFitsIsKeptWholeWithoutACut() {
        // Act
        CappedOutput.Captured captured = written(8, 8, "one\ntwo\n", "three\n").captured("stdout");

        // Assert
        assertThat(captured.text()).isEqualTo("one\ntwo\nthree\n");
        assertThat(captured.cut()).isEmpty();
    }

    @Test
    void largerOutputKeepsWholeLinesOfItsHeadAndTailWithAMarkerBetween() {
        // Arrange: the head limit falls inside "bbbb", the tail limit inside "dddd"
        CappedOutput output = written(6, 7, "aaa\nbbbb\n", "cccc\n", "dddd\neee\n");

        // Act
        CappedOutput.Captured captured = output.captured("stdout");

        // Assert
        assertThat(captured.text()).isEqualTo("aaa\n[cleanroom: 15 bytes of stdout cut here]\neee\n");
        OutputCut cut = captured.cut().orElseThrow();
        assertThat(cut.describe("stdout")).isEqualTo("stdout was cut: kept the first 4 and the last 4 of 23 bytes");
        assertThat(cut.parts(captured.text()))
                .extracting(CharSequence::toString)
                .containsExactly("aaa\n", "eee\n");
    }

    @Test
    void aTailThatStartsAtALineBoundaryKeepsItsFirstLine() {
        // Act: exactly "cc\ndd\n" is in the 6-byte tail, and the byte before it is a newline
        CappedOutput.Captured captured = written(3, 6, "aa\nbb\ncc\ndd\n").captured("stderr");

        // Assert
        assertThat(captured.text()).isEqualTo("aa\n[cleanroom: 3 bytes of stderr cut here]\ncc\ndd\n");
    }

    @Test
    void oneHugeLineIsKeptByItsEndsRatherThanDropped() {
        // Act
        CappedOutput.Captured captured =
                written(4, 4, "x".repeat(4) + "y".repeat(10) + "z".repeat(4)).captured("stdout");

        // Assert
        assertThat(captured.text()).isEqualTo("xxxx\n[cleanroom: 10 bytes of stdout cut here]\nzzzz");
    }

    @Test
    void lastLinesKeepTheEndOfALogInWholeLinesWithoutAMarker() {
        // Act
        String last = written(0, 8, "first\nsecond\nthird\n").lastLines();

        // Assert
        assertThat(last).isEqualTo("third\n");
    }

    @Test
    void memoryStaysBoundedWhateverIsWritten() {
        // Arrange
        CappedOutput output = new CappedOutput(1024, 1024);
        byte[] chunk = "0123456789abcdef\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

        // Act: 17 MB through a 2 KiB capture
        for (int i = 0; i < 1000; i++) {
            output.write(chunk, chunk.length);
        }

        // Assert
        CappedOutput.Captured captured = output.captured("stdout");
        assertThat(captured.text().length()).isLessThan(2200);
        assertThat(captured.cut().orElseThrow().totalBytes()).isEqualTo(17_000_000L);
    }
}
