package dev.cleanroom.engine.spi;

import java.util.List;

/**
 * GPUs for a container, as Docker's device requests with the {@code gpu} capability (what
 * {@code docker run --gpus} sends).
 *
 * @param count how many GPUs; -1 means all; ignored when {@code deviceIds} is not empty
 * @param deviceIds specific GPUs by index or UUID
 */
public record GpuRequest(int count, List<String> deviceIds) {

    public GpuRequest {
        deviceIds = List.copyOf(deviceIds);
        if (count < -1) {
            throw new IllegalArgumentException("GPU count must be -1 (all) or more, not " + count);
        }
    }

    public static GpuRequest all() {
        return new GpuRequest(-1, List.of());
    }

    public static GpuRequest count(int count) {
        return new GpuRequest(count, List.of());
    }

    public static GpuRequest devices(List<String> ids) {
        return new GpuRequest(0, ids);
    }
}
