package dev.cleanroom.plugins.otel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host side of a collector's output, safe on a machine other users share.
 *
 * <p>{@code output_dir} is the user's (or, by default, {@code target/cleanroom/otel/<service>}):
 * Cleanroom creates it when it is missing (mode 0755 at most) and never changes its mode. It must
 * not be a symbolic link, writable by every user, or owned by another user, because whoever may
 * write into it could replace what Cleanroom writes there with links to files of root.
 *
 * <p>In it, each run, Cleanroom deletes the previous {@value #RECEIVED} directory and creates a
 * new one, mode 0700, the only directory mounted writable into the container. Building as root,
 * it and the signal files in it are given to the collector's uid 10001 (the images' user), so the
 * collector writes without any directory being opened to everyone; building as another user,
 * they stay that user's and the container runs as that user's uid:gid instead. Every file is
 * created anew ({@code O_CREAT|O_EXCL}, which never follows a link) after unlinking whatever had
 * its name, so a planted link is removed, never written through.
 */
final class CollectorOutput {

    /** The directory in output_dir that is mounted at {@link CollectorConfig#OUTPUT_MOUNT}. */
    static final String RECEIVED = "received";

    /** The file in output_dir that says which container {@value #RECEIVED} is mounted in. */
    static final String MOUNT_RECORD = ".cleanroom-mount";

    private CollectorOutput() {}

    /** Who runs the build: the owner of the directories it creates. */
    record BuildUser(int uid, int gid) {

        static final BuildUser ROOT = new BuildUser(0, 0);

        boolean isRoot() {
            return uid == 0;
        }

        /** The container's user: the image's own (uid 10001) for root, else the build's uid:gid. */
        Optional<String> containerUser() {
            return isRoot() ? Optional.empty() : Optional.of(uid + ":" + gid);
        }
    }

    /** Why output_dir must not be used, and what to do instead. */
    record Problem(String message, String fix) {}

    /** output_dir became unfit after the config was checked; the message names the fix. */
    static final class UnfitException extends IOException {
        private static final long serialVersionUID = 1L;

        UnfitException(Problem problem) {
            super(problem.message() + ". Perhaps you should " + problem.fix());
        }
    }

    static Path received(Path outputDir) {
        return outputDir.resolve(RECEIVED);
    }

    /**
     * Notes in output_dir which container has its {@value #RECEIVED} directory mounted, and which
     * directory that is, for {@link #stillMountedIn}.
     */
    static void recordMount(Path dir, String containerId) throws IOException {
        createNew(dir.resolve(MOUNT_RECORD), mountRecord(dir, containerId), "rw-r--r--");
    }

    /**
     * Whether {@value #RECEIVED} is still the directory {@code containerId} mounted at its start. A
     * bind mount holds the directory, not its path: after {@code mvn clean}, or another run's start
     * that made it anew, the container writes where nobody reads, so it must not be adopted.
     */
    static boolean stillMountedIn(Path dir, String containerId) {
        try {
            return Files.readString(dir.resolve(MOUNT_RECORD), StandardCharsets.UTF_8)
                    .equals(mountRecord(dir, containerId));
        } catch (IOException gone) {
            return false;
        }
    }

    /** The container and the directory's identity (device and inode where the file system has them). */
    private static String mountRecord(Path dir, String containerId) throws IOException {
        Object identity = Files.readAttributes(received(dir), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
        return "container " + containerId + "\n" + RECEIVED + " " + identity + "\n";
    }

    /**
     * Empties the files in {@value #RECEIVED} in place, so a reused collector's run starts with
     * none of the last build's telemetry. In place, not deleted, because the collector holds them
     * open: its file exporter writes through lumberjack (rotation is on by default), which opens a
     * file that exists, as the ones {@link #prepare} created do, with O_APPEND, so its next write
     * lands at the new end rather than after a hole of zeros. A link or anything else that is not
     * a plain file (the collector may write into the directory) is left alone.
     */
    static void empty(Path dir, List<String> files) throws IOException {
        Path received = received(dir);
        for (String name : files) {
            Path file = received.resolve(name);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                try (FileChannel channel =
                        FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    channel.truncate(0);
                }
            }
        }
    }

    /** What is wrong with an existing output_dir; empty when it is missing or fit for use. */
    static Optional<Problem> problemWith(Path dir) {
        if (Files.isSymbolicLink(dir)) {
            return Optional.of(new Problem(
                    dir + " is a symbolic link, which could send the collector's files anywhere",
                    target(dir)
                            .map(real -> "point output_dir at the directory itself, here " + real)
                            .orElse("point output_dir at a real directory")));
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new Problem(
                    dir + " exists and is not a directory", "remove it, or point output_dir somewhere else"));
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                return Optional.of(new Problem(
                        dir + " is writable by every user (mode "
                                + PosixFilePermissions.toString(mode)
                                + "), so another user could replace the collector's "
                                + "files",
                        "remove write access for others: chmod o-w " + dir
                                + "; an earlier Cleanroom left its default directory so"));
            }
            Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Optional<Object> me = buildUid();
            if (me.isPresent() && !owner.equals(0) && !owner.equals(me.get())) {
                return Optional.of(new Problem(
                        dir + " belongs to another user (uid " + owner + "), who could replace "
                                + "the collector's files",
                        "point output_dir at a directory of yours, or remove " + dir + " and let Cleanroom create it"));
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException notPosix) {
            // Docker Desktop's file sharing on Windows has no owners or modes to judge.
        }
        return Optional.empty();
    }

    /**
     * Makes output_dir ready for a run: the generated config (when there is one) and a fresh
     * {@value #RECEIVED} directory holding empty signal files (when {@code signalFiles}).
     *
     * @return who builds, which decides the container's user
     * @throws IOException naming what failed; {@link UnfitException} when the directory became
     *         unfit after the config was checked
     */
    static BuildUser prepare(Path dir, Optional<String> generatedConfig, List<String> signalFiles, int collectorUid)
            throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, mode("rwxr-xr-x"));
        }
        Optional<Problem> problem = problemWith(dir);
        if (problem.isPresent()) {
            throw new UnfitException(problem.get());
        }
        if (generatedConfig.isPresent()) {
            createNew(dir.resolve(OtelCollectorPlugin.GENERATED_CONFIG), generatedConfig.get(), "rw-r--r--");
        }
        Path received = received(dir);
        deleteTree(received);
        // Created 0700 and owned by us until every file is in it, so nobody can plant anything in between.
        Files.createDirectory(received, mode("rwx------"));
        for (String name : signalFiles) {
            createNew(received.resolve(name), "", "rw-------");
        }
        BuildUser user = owner(received);
        if (user.isRoot()) {
            for (String name : signalFiles) {
                giveTo(received.resolve(name), collectorUid);
            }
            giveTo(received, collectorUid);
        }
        return user;
    }

    /** Removes a file or a whole directory tree without following any link in it. */
    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Unlinks whatever has the name (a planted link itself, not its target), then creates the file exclusively. */
    private static void createNew(Path file, String content, String mode) throws IOException {
        Files.deleteIfExists(file);
        try (SeekableByteChannel channel = Files.newByteChannel(
                file,
                Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                mode(mode))) {
            channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static void giveTo(Path path, int uid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static BuildUser owner(Path path) throws IOException {
        if (!isPosix()) {
            return BuildUser.ROOT; // no owners to give away, and the image's own user is the safest default
        }
        return new BuildUser((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS), (Integer)
                Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    }

    /** The uid this JVM runs as, where /proc tells it (Linux). */
    private static Optional<Object> buildUid() {
        try {
            return Optional.of(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> target(Path link) {
        try {
            return Optional.of(link.toRealPath());
        } catch (IOException dangling) {
            return Optional.empty();
        }
    }

    /** A mode for newly created files; none where the file system has no POSIX modes (umask still applies). */
    private static FileAttribute<?>[] mode(String mode) {
        return isPosix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    }
}
