package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Settings;
import java.util.List;
import java.util.Objects;

/**
 * A model server's GPU wishes, read from the keys {@code gpu}, {@code gpu_enabled}, {@code gpus}
 * and {@code gpu_devices} the same way for every LLM type.
 *
 * <p>{@code gpu_enabled} is the seed format's switch: {@code true} means {@code gpu = "auto"} (use
 * GPUs when the daemon has them; a file written on a GPU machine still runs on a laptop) and
 * {@code false} means {@code gpu = "off"}. {@code gpus = 0} also means off.
 *
 * @param mode what to do when the daemon cannot give GPUs
 * @param request the GPUs to ask for when GPUs are used
 * @param reason where the mode came from, for the log: {@code gpu = "on"}, {@code gpu_enabled = true}, ...
 */
public record GpuSettings(GpuMode mode, GpuRequest request, String reason) {

    public GpuSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reason, "reason");
    }

    public static final Key<String> GPU = Key.string("gpu")
            .byDefault("auto")
            .doc("GPU use: \"auto\" (GPUs when "
                    + "the Docker daemon can give them, else CPU where the server can, with a warning), \"on\" (fail when it "
                    + "cannot), \"off\"; docker run --gpus");
    public static final Key<Boolean> GPU_ENABLED = Key.bool("gpu_enabled")
            .doc("Seed-format switch: true is gpu = " + "\"auto\", false is gpu = \"off\"; docker run --gpus");
    public static final Key<List<String>> GPU_DEVICES = Key.strings("gpu_devices")
            .doc("Specific GPUs by index or "
                    + "UUID, e.g. [\"0\", \"1\"]; docker run --gpus '\"device=0,1\"', a DeviceRequest with DeviceIDs");
    /** More than any host has: a typo, not a wish. */
    static final long MAX_GPUS = 1024;

    /** {@code gpus}, whose default differs by type: all GPUs, or a count. */
    static Key<Long> gpusKey(GpuRequest defaultRequest) {
        Key<Long> key = Key.integer("gpus")
                .between(0L, MAX_GPUS)
                .doc("How many GPUs to request (0 = none); docker "
                        + "run --gpus N, a DeviceRequest with capabilities [[gpu]] and Count N");
        return defaultRequest.count() < 0
                ? key.defaultDescribedAs("all")
                : key.byDefault((long) defaultRequest.count());
    }

    /**
     * Reads the GPU keys, reporting every problem to {@code settings}.
     *
     * @param defaultRequest what to ask for when no count or devices are given
     */
    static GpuSettings read(Settings settings, Key<Long> gpus, GpuRequest defaultRequest) {
        GpuMode mode = GpuMode.AUTO;
        String reason = "default";
        if (settings.has(GPU)) {
            String text = settings.get(GPU);
            mode = GpuMode.parse(text).orElse(GpuMode.AUTO);
            reason = "gpu = \"" + text + "\"";
            if (GpuMode.parse(text).isEmpty()) {
                settings.problem(GPU, "\"" + text + "\" is not a GPU mode", "write gpu = \"auto\", \"on\" or \"off\"");
            }
            if (settings.has(GPU_ENABLED)) {
                settings.problem(
                        GPU_ENABLED,
                        "conflicts with gpu = \"" + text + "\"",
                        "keep one of them: gpu_enabled = true is gpu = \"auto\", false is gpu = \"off\"");
            }
        } else if (settings.find(GPU_ENABLED).isPresent()) {
            boolean enabled = settings.find(GPU_ENABLED).get();
            mode = enabled ? GpuMode.AUTO : GpuMode.OFF;
            reason = "gpu_enabled = " + enabled;
        }
        GpuRequest request = defaultRequest;
        List<String> devices = settings.find(GPU_DEVICES).orElse(List.of());
        if (settings.has(GPU_DEVICES)) {
            if (devices.isEmpty()) {
                settings.problem(
                        GPU_DEVICES,
                        "must not be empty",
                        "list GPU indexes or UUIDs, e.g. gpu_devices = [\"0\", \"1\"], or remove it");
            }
            for (String id : devices) {
                if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.:-]*")) {
                    settings.problem(
                            GPU_DEVICES,
                            "\"" + id + "\" is not a GPU index or UUID",
                            "write an index such as \"0\" or a UUID such as \"GPU-3f0c1a2b-...\"");
                }
            }
            request = devices.isEmpty() ? defaultRequest : GpuRequest.devices(devices);
        }
        // Absent, or refused by the key's range (already reported).
        long count = settings.find(gpus).orElse(-1L);
        if (count >= 0) {
            if (!devices.isEmpty() && count != devices.size()) {
                settings.problem(
                        gpus,
                        "gpus = " + count + " does not match the " + devices.size() + " device(s) of gpu_devices",
                        "remove gpus: the device list sets the count");
            } else if (count == 0) {
                if (mode == GpuMode.ON) {
                    settings.problem(
                            gpus,
                            "gpus = 0 asks for no GPU, but gpu = \"on\" requires one",
                            "write gpus = 1 or more, or gpu = \"off\"");
                }
                if (!settings.has(GPU) && !settings.has(GPU_ENABLED)) {
                    mode = GpuMode.OFF;
                    reason = "gpus = 0";
                }
            } else if (devices.isEmpty()) {
                request = GpuRequest.count((int) count);
            }
        }
        if (mode == GpuMode.OFF && (count > 0 || !devices.isEmpty())) {
            Key<?> key = settings.has(GPU_DEVICES) ? GPU_DEVICES : gpus;
            settings.problem(
                    key,
                    "has no effect: GPUs are off (" + reason + ")",
                    "remove " + key.path() + ", or use gpu = \"auto\" or \"on\"");
        }
        return new GpuSettings(mode, request, reason);
    }

    /** How many GPUs the server will see when it gets them; -1 for all. */
    public int count() {
        return request.deviceIds().isEmpty()
                ? request.count()
                : request.deviceIds().size();
    }

    /** "1 GPU", "2 GPUs", "all GPUs", "GPUs 0, 1". */
    public String describeRequest() {
        if (!request.deviceIds().isEmpty()) {
            return (request.deviceIds().size() == 1 ? "GPU " : "GPUs ") + String.join(", ", request.deviceIds());
        }
        if (request.count() < 0) {
            return "all GPUs";
        }
        return request.count() + (request.count() == 1 ? " GPU" : " GPUs");
    }
}
