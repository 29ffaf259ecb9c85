package dev.cleanroom.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeMountTest {

    @TempDir
    Path base;

    @Test
    void relativeHostPathResolvesAgainstTheBaseDirectory() {
        VolumeMount mount = VolumeMount.parse("data:/var/lib/data", base);

        assertThat(mount).isEqualTo(new VolumeMount(base.resolve("data").toAbsolutePath(), "/var/lib/data", false));
    }

    @Test
    void relativeHostPathIsNormalized() {
        VolumeMount mount = VolumeMount.parse("./a/../b:/data", base);

        assertThat(mount.hostPath()).isEqualTo(base.resolve("b").toAbsolutePath());
    }

    @Test
    void parentDirectoryStepsLeaveTheBaseDirectory() {
        VolumeMount mount = VolumeMount.parse("../shared:/data", base);

        assertThat(mount.hostPath())
                .isEqualTo(base.getParent().resolve("shared").toAbsolutePath());
    }

    @Test
    void absoluteHostPathIsKept() {
        VolumeMount mount = VolumeMount.parse("/etc/hosts:/etc/hosts", base);

        assertThat(mount.hostPath()).isEqualTo(Path.of("/etc/hosts"));
    }

    @Test
    void relativeBaseDirectoryGivesAnAbsoluteHostPath() {
        VolumeMount mount = VolumeMount.parse("data:/data", Path.of("src/test"));

        assertThat(mount.hostPath())
                .isAbsolute()
                .isEqualTo(Path.of("src/test/data").toAbsolutePath());
    }

    @Test
    void roSuffixMountsReadOnly() {
        assertThat(VolumeMount.parse("conf:/etc/app:ro", base).readOnly()).isTrue();
    }

    @Test
    void rwSuffixAndNoSuffixMountReadWrite() {
        assertThat(VolumeMount.parse("conf:/etc/app:rw", base).readOnly()).isFalse();
        assertThat(VolumeMount.parse("conf:/etc/app", base).readOnly()).isFalse();
    }

    @Test
    void unknownModeIsRefusedQuotingIt() {
        assertThatThrownBy(() -> VolumeMount.parse("conf:/etc/app:rx", base))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("volume mode \"rx\" in \"conf:/etc/app:rx\" is neither ro nor rw");
    }

    @Test
    void upperCaseModeIsRefused() {
        assertThatThrownBy(() -> VolumeMount.parse("conf:/etc/app:RO", base))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("volume mode \"RO\" in \"conf:/etc/app:RO\" is neither ro nor rw");
    }

    @Test
    void relativeContainerPathIsRefused() {
        assertThatThrownBy(() -> VolumeMount.parse("conf:etc/app", base))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the container path \"etc/app\" must be absolute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "conf", ":/data", "conf:", "conf::ro", "a:/b:ro:z", ":"})
    void malformedTextIsRefusedWithTheAcceptedForm(String text) {
        assertThatThrownBy(() -> VolumeMount.parse(text, base))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text
                        + "\" is not a volume; write \"host/path:/container/path\" or add \":ro\" for read-only");
    }

    @Test
    void constructorRefusesNulls() {
        assertThatThrownBy(() -> new VolumeMount(null, "/x", false))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("hostPath");
        assertThatThrownBy(() -> new VolumeMount(base, null, false))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("containerPath");
    }
}
