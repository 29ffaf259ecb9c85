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

    /**
     * True when a start failed because the daemon cannot hand out GPUs: no NVIDIA runtime, or one
     * registered on a host without a GPU (testcontainers-java #9287). Plugins in "auto" mode then
     * retry without GPUs. The Docker client tells this from the daemon's answer and says so with
     * {@link CleanroomException.Reason#GPU_REFUSED}, anywhere in the chain of causes.
     */
    public static boolean isRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CleanroomException c && c.reason() == CleanroomException.Reason.GPU_REFUSED) {
                return true;
            }
        }
        return false;
    }
}
