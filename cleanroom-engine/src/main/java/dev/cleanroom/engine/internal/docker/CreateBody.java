package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.PortSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /containers/create}: a {@link ContainerSpec} in the Engine API's words. */
final class CreateBody {

    private CreateBody() {}

    /** The body of {@code POST /containers/create} for {@code spec}, for a build on the daemon's host. */
    static Map<String, Object> of(ContainerSpec spec) {
        return of(spec, ServiceReach.onHost("unix:///var/run/docker.sock"));
    }

    /**
     * The body of {@code POST /containers/create} for {@code spec}: ports published where
     * {@code reach} says, bind mounts by their paths on the daemon's host.
     */
    static Map<String, Object> of(ContainerSpec spec, ServiceReach reach) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Image", spec.image());
        body.put("Labels", spec.labels());
        body.put("Env", envList(spec.env()));
        spec.command().ifPresent(command -> body.put("Cmd", command));
        spec.entrypoint().ifPresent(entrypoint -> body.put("Entrypoint", entrypoint));
        spec.user().ifPresent(user -> body.put("User", user));
        spec.workdir().ifPresent(workdir -> body.put("WorkingDir", workdir));
        if (spec.openStdin()) {
            body.put("OpenStdin", true);
        }
        Map<String, Object> exposed = new LinkedHashMap<>();
        Map<String, Object> bindings = new LinkedHashMap<>();
        for (PortSpec declared : spec.ports()) {
            PortSpec port = reach.published(declared);
            String key = port.containerPort() + "/" + port.protocol();
            exposed.put(key, Map.of());
            Map<String, Object> binding = new LinkedHashMap<>();
            binding.put("HostIp", port.hostIp());
            binding.put("HostPort", port.hostPort() == 0 ? "" : Integer.toString(port.hostPort()));
            bindings.put(key, List.of(binding));
        }
        body.put("ExposedPorts", exposed);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("PortBindings", bindings);
        host.put(
                "Binds",
                spec.volumes().stream()
                        .map(v -> reach.daemonPath(v.hostPath()).orElse(v.hostPath()) + ":" + v.containerPath() + ":"
                                + (v.readOnly() ? "ro" : "rw"))
                        .toList());
        host.put("Privileged", false);
        host.put("CapAdd", spec.capAdd());
        spec.networkMode().ifPresent(mode -> host.put("NetworkMode", mode));
        spec.cgroupParent().ifPresent(parent -> host.put("CgroupParent", parent));
        if (spec.shmSizeBytes() > 0) {
            host.put("ShmSize", spec.shmSizeBytes());
        }
        spec.gpus().ifPresent(gpus -> {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("Driver", "");
            if (gpus.deviceIds().isEmpty()) {
                request.put("Count", gpus.count());
            } else {
                request.put("DeviceIDs", gpus.deviceIds());
            }
            request.put("Capabilities", List.of(List.of("gpu")));
            host.put("DeviceRequests", List.of(request));
        });
        body.put("HostConfig", host);
        if (!spec.aliases().isEmpty() && spec.networkMode().isPresent()) {
            body.put(
                    "NetworkingConfig",
                    Map.of("EndpointsConfig", Map.of(spec.networkMode().get(), Map.of("Aliases", spec.aliases()))));
        }
        return body;
    }

    static List<String> envList(Map<String, String> env) {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
