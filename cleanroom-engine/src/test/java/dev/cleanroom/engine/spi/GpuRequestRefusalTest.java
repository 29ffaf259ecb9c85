package dev.cleanroom.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.spi.CleanroomException.Reason;
import org.junit.jupiter.api.Test;

/** Plugins ask whether a failed start was the daemon refusing GPUs; the Docker client's reason answers, not the text. */
class GpuRequestRefusalTest {

    @Test
    void aFailureTheDockerClientCalledGpuRefusedIsARefusalWhereverItIsInTheChain() {
        CleanroomException refused = new CleanroomException(Reason.GPU_REFUSED, "Container for image vllm could not start");

        assertThat(GpuRequest.isRefusal(refused)).isTrue();
        assertThat(GpuRequest.isRefusal(new RuntimeException("wrapped", refused))).isTrue();
        assertThat(GpuRequest.isRefusal(new CleanroomException(Reason.OTHER, "vLLM failed", refused))).isTrue();
    }

    @Test
    void wordsAboutDriversInAnUnclassifiedFailureAreNoRefusal() {
        // e.g. a server's own log quoted in a health-check failure
        CleanroomException quoted = new CleanroomException("vLLM did not become healthy; its log says: "
                + "could not select device driver");

        assertThat(GpuRequest.isRefusal(quoted)).isFalse();
        assertThat(GpuRequest.isRefusal(new CleanroomException(Reason.DAEMON_REFUSED, "HTTP 500: no space left"))).isFalse();
    }
}
