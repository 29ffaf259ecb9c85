package dev.cleanroom.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleTextTest {

    @Test
    void terminalControlsAreEscapedAndLineBreaksAndTabsKept() {
        assertThat(ConsoleText.escape("a\u001b[31mred\rX\tY\r\nZ\u0007\u0000\u009b\u007f\n"))
                .isEqualTo("a\\e[31mred\\rX\tY\nZ\\u0007\\u0000\\u009b\\u007f\n");
    }

    @Test
    void ordinaryTextIsUnchanged() {
        assertThat(ConsoleText.escape("Step ok PASSED in 3 ms: héllo ✓")).isEqualTo("Step ok PASSED in 3 ms: héllo ✓");
    }
}
