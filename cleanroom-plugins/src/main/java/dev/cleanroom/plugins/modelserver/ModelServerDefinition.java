package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import java.util.List;

/** A model server's definition: what the engine asks ahead comes from the shared {@link ModelServer} part. */
public interface ModelServerDefinition extends ServiceDefinition {

    ModelServer server();

    @Override
    default List<String> images() {
        return server().images();
    }

    @Override
    default List<VolumeMount> volumes() {
        return List.of(server().cache());
    }

    @Override
    default WaitPolicy waitPolicy() {
        return server().waitPolicy();
    }
}
