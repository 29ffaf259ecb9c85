package dev.cleanroom.engine.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@code *.clnrm.toml} file that {@link CleanroomEngine#load} has read and found valid, ready for
 * {@link CleanroomEngine#start} or {@link CleanroomEngine#run}. Only the engine makes these: its
 * services' settings stay inside the engine, which is free to change how it keeps them.
 */
public interface LoadedFile {

    /** The file as it was given to {@link CleanroomEngine#load}. */
    Path path();

    /** The file's {@code name}. */
    String name();

    /** The file's {@code description}; empty when it has none. */
    String description();

    /** The names of its services, in file order. */
    List<String> serviceNames();

    /**
     * Whether the file says {@code shared = true} under {@code [meta]}: a build tool starts its
     * services once for a whole multi-module build (Maven: as an execution with
     * {@code <shared>true</shared>} does), not once per module. The engine itself does nothing
     * different with it.
     */
    boolean shared();
}
