package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Before a container mounts a host path, makes sure the daemon can see it, where that is not a
 * given. In a container of the daemon the path is translated through that container's mounts
 * ({@link ServiceReach#daemonPath}); with a remote daemon a marker file is written into the
 * directory and a created (never started) container that mounts it must see the marker: a
 * daemon that shares nothing would otherwise mount an empty directory it made itself, and the
 * service would fail later and obscurely.
 */
final class BindMountCheck {

    private final ContainerRuntime runtime;
    /** Directories already shown to be shared in this run: each is checked once. */
    private final Set<Path> shared = ConcurrentHashMap.newKeySet();

    BindMountCheck(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Throws, saying why and what to do, when the daemon cannot see one of {@code spec}'s volumes. */
    void verify(ContainerSpec spec) throws CleanroomException {
        for (VolumeMount volume : spec.volumes()) {
            verify(volume, spec);
        }
    }

    /**
     * As {@link #verify(ContainerSpec)} for one mount a service declared, before anything of the
     * run starts; {@code probe} gives the image (and labels) of the probe container.
     */
    void verify(VolumeMount volume, ContainerSpec probe) throws CleanroomException {
        ServiceReach reach = runtime.reach();
        if (reach.daemonPath(volume.hostPath()).isEmpty()) {
            throw new CleanroomException(reach.untranslatable(volume));
        }
        if (reach.checksBindMounts()) {
            checkShared(volume, probe);
        }
    }

    private void checkShared(VolumeMount volume, ContainerSpec spec) throws CleanroomException {
        Path directory = existingDirectory(volume.hostPath());
        if (shared.contains(directory)) {
            return;
        }
        String fileName =
                ".cleanroom-mount-check-" + UUID.randomUUID().toString().replace("-", "");
        Path marker = directory.resolve(fileName);
        try {
            Files.writeString(marker, "written by Cleanroom to see whether the Docker daemon shares this directory\n");
        } catch (IOException e) {
            throw new CleanroomException(
                    "Volume " + describe(volume) + " cannot be checked: Cleanroom could not write a "
                            + "marker file into " + directory + " (" + e.getMessage()
                            + ") to see whether the remote Docker daemon "
                            + "shares it. Perhaps you should make the directory writable for the build",
                    e);
        }
        try {
            if (!runtime.seesBindMount(directory, fileName, spec)) {
                throw new CleanroomException("Volume " + describe(volume) + " cannot be mounted: the Docker daemon at "
                        + runtime.reach().daemon() + " runs on another host and does not see " + directory
                        + " (a marker "
                        + "file written there was not in a container that mounts it). Perhaps you should run the build "
                        + "where the daemon shares its files (GitLab's docker:dind shares the project directory), use a "
                        + "daemon on this machine, or leave the volume out");
            }
            shared.add(directory);
        } finally {
            try {
                Files.deleteIfExists(marker);
            } catch (IOException ignored) {
                // The directory vanished meanwhile: nothing left to clean.
            }
        }
    }

    private static String describe(VolumeMount volume) {
        return volume.hostPath() + ":" + volume.containerPath();
    }

    /** The mounted directory (a file's parent), or its nearest existing ancestor. */
    private static Path existingDirectory(Path hostPath) {
        Path directory = Files.isDirectory(hostPath) ? hostPath : hostPath.getParent();
        while (directory != null && !Files.isDirectory(directory)) {
            directory = directory.getParent();
        }
        return directory == null ? hostPath.getRoot() : directory;
    }
}
