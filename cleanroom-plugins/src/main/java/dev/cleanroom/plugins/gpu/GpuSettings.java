package dev.cleanroom.plugins.gpu;

import static dev.cleanroom.engine.config.ConfigKey.optional;

import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.ValueType;
import dev.cleanroom.engine.spi.GpuRequest;
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

    /** The GPU keys, with the upstream flag each maps to; {@code defaultGpus} is "all" or a number. */
    public static List<ConfigKey> keys(String defaultGpus) {
        return List.of(
                optional("gpu", ValueType.STRING, "auto", "GPU use: \"auto\" (GPUs when the Docker daemon can give "
                        + "them, else CPU where the server can, with a warning), \"on\" (fail when it cannot), \"off\"; "
                        + "docker run --gpus"),
                optional("gpu_enabled", ValueType.BOOLEAN, "", "Seed-format switch: true is gpu = \"auto\", false is "
                        + "gpu = \"off\"; docker run --gpus"),
                optional("gpus", ValueType.INTEGER, defaultGpus, "How many GPUs to request (0 = none); docker run "
                        + "--gpus N, a DeviceRequest with capabilities [[gpu]] and Count N"),
                optional("gpu_devices", ValueType.STRING_LIST, "", "Specific GPUs by index or UUID, e.g. [\"0\", \"1\"]; "
                        + "docker run --gpus '\"device=0,1\"', a DeviceRequest with DeviceIDs"));
    }

    /**
     * Reads the GPU keys, adding every problem to {@code problems}.
     *
     * @param defaultRequest what to ask for when no count or devices are given
     */
    public static GpuSettings read(ServiceConfig config, GpuRequest defaultRequest, List<ConfigProblem> problems) {
        GpuMode mode = GpuMode.AUTO;
        String reason = "default";
        if (config.has("gpu")) {
            String text = config.string("gpu", "");
            mode = GpuMode.parse(text).orElse(GpuMode.AUTO);
            reason = "gpu = \"" + text + "\"";
            if (GpuMode.parse(text).isEmpty()) {
                problems.add(config.problem("gpu", "\"" + text + "\" is not a GPU mode",
                        "write gpu = \"auto\", \"on\" or \"off\""));
            }
            if (config.has("gpu_enabled")) {
                problems.add(config.problem("gpu_enabled", "conflicts with gpu = \"" + text + "\"",
                        "keep one of them: gpu_enabled = true is gpu = \"auto\", false is gpu = \"off\""));
            }
        } else if (config.has("gpu_enabled")) {
            boolean enabled = config.bool("gpu_enabled", true);
            mode = enabled ? GpuMode.AUTO : GpuMode.OFF;
            reason = "gpu_enabled = " + enabled;
        }
        GpuRequest request = defaultRequest;
        List<String> devices = config.stringList("gpu_devices");
        if (config.has("gpu_devices")) {
            if (devices.isEmpty()) {
                problems.add(config.problem("gpu_devices", "must not be empty",
                        "list GPU indexes or UUIDs, e.g. gpu_devices = [\"0\", \"1\"], or remove it"));
            }
            for (String id : devices) {
                if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.:-]*")) {
                    problems.add(config.problem("gpu_devices", "\"" + id + "\" is not a GPU index or UUID",
                            "write an index such as \"0\" or a UUID such as \"GPU-3f0c1a2b-...\""));
                }
            }
            request = devices.isEmpty() ? defaultRequest : GpuRequest.devices(devices);
        }
        if (config.has("gpus")) {
            long count = config.integer("gpus", 0);
            if (count < 0) {
                problems.add(config.problem("gpus", count + " is negative",
                        "write the number of GPUs, e.g. gpus = 1, or gpus = 0 for none"));
            } else if (count > 1024) {
                problems.add(config.problem("gpus", count + " is more GPUs than any host has",
                        "write the number of GPUs, e.g. gpus = 1"));
            } else if (!devices.isEmpty() && count != devices.size()) {
                problems.add(config.problem("gpus", "gpus = " + count + " does not match the " + devices.size()
                        + " device(s) of gpu_devices", "remove gpus: the device list sets the count"));
            } else if (count == 0) {
                if (mode == GpuMode.ON) {
                    problems.add(config.problem("gpus", "gpus = 0 asks for no GPU, but gpu = \"on\" requires one",
                            "write gpus = 1 or more, or gpu = \"off\""));
                }
                if (!config.has("gpu") && !config.has("gpu_enabled")) {
                    mode = GpuMode.OFF;
                    reason = "gpus = 0";
                }
            } else if (devices.isEmpty()) {
                request = GpuRequest.count((int) count);
            }
        }
        if (mode == GpuMode.OFF && (config.integer("gpus", 0) > 0 || !devices.isEmpty())) {
            String key = config.has("gpu_devices") ? "gpu_devices" : "gpus";
            problems.add(config.problem(key, "has no effect: GPUs are off (" + reason + ")",
                    "remove " + key + ", or use gpu = \"auto\" or \"on\""));
        }
        return new GpuSettings(mode, request, reason);
    }

    /** How many GPUs the server will see when it gets them; -1 for all. */
    public int count() {
        return request.deviceIds().isEmpty() ? request.count() : request.deviceIds().size();
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
