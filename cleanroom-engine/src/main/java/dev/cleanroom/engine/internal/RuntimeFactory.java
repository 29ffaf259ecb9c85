package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.spi.CleanroomException;

/** How the engine reaches a container runtime; Docker unless a test says otherwise. */
@FunctionalInterface
public interface RuntimeFactory {

    ContainerRuntime connect(EngineLog log) throws CleanroomException;
}
