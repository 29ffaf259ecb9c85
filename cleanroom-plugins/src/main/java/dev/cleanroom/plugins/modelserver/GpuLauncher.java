package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerBackend;
import dev.cleanroom.engine.spi.ContainerInfo;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.GpuRequest;
import dev.cleanroom.engine.spi.PluginLog;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts a model server's container with or without GPUs as its {@link GpuSettings} say, and
 * logs the decision with its reason.
 *
 * <p>In {@code auto} mode the GPU request is simply tried: a daemon that cannot give GPUs (no
 * NVIDIA runtime, or one registered on a host without a GPU, testcontainers-java #9287) refuses
 * the start, the Docker client reports that as {@link CleanroomException.Reason#GPU_REFUSED}, and
 * the server is started again without GPUs. Asking {@code docker info} for runtimes instead is what
 * breaks on such hosts.
 */
final class GpuLauncher {

    private GpuLauncher() {}

    /** The started container and whether it got GPUs. */
    record Started(ContainerInfo container, boolean onGpu) {}

    /**
     * @param server the server's name for messages, e.g. "Ollama"
     * @param cpuFallback empty when the server runs on CPU; otherwise why it cannot, for the error
     *     {@code auto} gives when the daemon has no GPU
     * @param specFor the container for a GPU request, or for none (the command may differ, e.g.
     *     no sharding flags on CPU)
     */
    static Started start(
            ContainerBackend backend,
            PluginLog log,
            GpuSettings gpu,
            String server,
            Optional<String> cpuFallback,
            Function<Optional<GpuRequest>, ContainerSpec> specFor)
            throws CleanroomException {
        if (gpu.mode() == GpuMode.OFF) {
            log.info("GPU: off (" + gpu.reason() + "): starting " + server + " without GPUs");
            return new Started(backend.startContainer(specFor.apply(Optional.empty())), false);
        }
        ContainerInfo container;
        try {
            container = backend.startContainer(specFor.apply(Optional.of(gpu.request())));
        } catch (CleanroomException e) {
            if (e.reason() != CleanroomException.Reason.GPU_REFUSED) {
                throw e;
            }
            return withoutGpu(backend, log, gpu, server, cpuFallback, specFor, e);
        }
        log.info("GPU: " + gpu.mode().key() + " (" + gpu.reason() + "): the Docker daemon gave " + gpu.describeRequest()
                + "; " + server + " runs on GPU");
        return new Started(container, true);
    }

    private static Started withoutGpu(
            ContainerBackend backend,
            PluginLog log,
            GpuSettings gpu,
            String server,
            Optional<String> cpuFallback,
            Function<Optional<GpuRequest>, ContainerSpec> specFor,
            CleanroomException refusal)
            throws CleanroomException {
        // The refusal's message is the Docker client's, which quotes the daemon's words.
        String why = refusal.getMessage();
        if (gpu.mode() == GpuMode.ON) {
            throw new CleanroomException(
                    "GPU required (" + gpu.reason() + ") but the Docker daemon cannot provide "
                            + gpu.describeRequest() + ": " + why
                            + ". Perhaps you should install the NVIDIA Container Toolkit "
                            + "and restart Docker, or set gpu = \"auto\" to run on CPU when no GPU is available.",
                    refusal);
        }
        if (cpuFallback.isPresent()) {
            throw new CleanroomException(
                    server + " needs a GPU (" + cpuFallback.get() + "), and the Docker daemon "
                            + "cannot provide one: " + why
                            + ". Perhaps you should run on a host with an NVIDIA GPU and the "
                            + "NVIDIA Container Toolkit, or set gpu = \"off\" and an image of " + server
                            + " built for CPU.",
                    refusal);
        }
        log.warn("GPU: auto (" + gpu.reason() + "): the Docker daemon cannot provide GPUs (" + why + "); "
                + "starting " + server + " on CPU instead. Set gpu = \"off\" to skip the GPU attempt, or gpu = \"on\" "
                + "to fail instead.");
        return new Started(backend.startContainer(specFor.apply(Optional.empty())), false);
    }
}
