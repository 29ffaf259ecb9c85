package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Settings;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The checks vllm and tgi make of their own keys alike: a model id that is not blank, a choice
 * from the server's list, and a parallelism that fits the GPUs the service requests.
 */
public final class ServerChecks {

    private ServerChecks() {}

    /** The model id; a blank one is a problem, with {@code example} (a Hugging Face id) in the fix. */
    public static String model(Settings settings, Key<String> key, String example) {
        String model = settings.get(key);
        if (settings.has(key) && model.isBlank()) {
            settings.problem(
                    key,
                    "must not be empty",
                    "write a Hugging Face model id, e.g. " + key.path() + " = \"" + example + "\"");
        }
        return model;
    }

    /**
     * The key's value, when set; one not in {@code choices} is a problem saying it "is not
     * {@code what}", whose fix lists the choices.
     */
    public static Optional<String> oneOf(Settings settings, Key<String> key, List<String> choices, String what) {
        return oneOf(settings, key, choices, what, value -> "");
    }

    /** {@link #oneOf(Settings, Key, List, String)}, whose fix ends with {@code moreFix} of the value. */
    public static Optional<String> oneOf(
            Settings settings, Key<String> key, List<String> choices, String what, UnaryOperator<String> moreFix) {
        Optional<String> value = settings.find(key);
        value.filter(v -> !choices.contains(v))
                .ifPresent(v -> settings.problem(
                        key,
                        "\"" + v + "\" is not " + what,
                        "write one of " + String.join(", ", choices) + moreFix.apply(v)));
        return value;
    }

    /**
     * How many GPUs the key (num_shard, tensor_parallel_size) spreads the model over, when set;
     * more than the service requests is a problem, since the server would fail at start.
     */
    public static Optional<Integer> parallelism(Settings settings, Key<Long> key, ModelServer server) {
        Optional<Integer> wanted = settings.find(key).map(Long::intValue);
        int gpus = server.gpu().count();
        if (wanted.isPresent() && server.gpu().mode() != GpuMode.OFF && gpus > 0 && wanted.get() > gpus) {
            settings.problem(
                    key,
                    key.path() + " = " + wanted.get() + " needs " + wanted.get() + " GPUs, but the service requests "
                            + server.gpu().describeRequest(),
                    "write gpus = " + wanted.get() + ", or lower " + key.path());
        }
        return wanted;
    }
}
