package dev.cleanroom.plugins.modelserver;

import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Settings;
import java.util.List;
import java.util.Map;

/** Checks on {@code args}, the extra server flags a plugin passes through unchanged. */
public final class ServerArgs {

    private ServerArgs() {}

    /**
     * A flag the plugin sets from a key must not also come through {@code args}: the server would
     * see it twice, and which one wins differs between servers.
     *
     * @param managed upstream flag to the key that sets it, e.g. "--model" to "model", or to "" for a
     *     flag the plugin always passes
     */
    public static void checkManaged(Settings settings, Key<List<String>> args, Map<String, String> managed) {
        for (String arg : settings.get(args)) {
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String key = managed.get(flag);
            if (key == null) {
                continue;
            }
            if (key.isEmpty()) {
                settings.problem(args, flag + " is always passed by the plugin", "remove it from args");
            } else {
                settings.problem(
                        args,
                        flag + " is set by the key " + key,
                        "write " + key + " = ... instead of passing " + flag + " in args");
            }
        }
    }

    /** "0.9" rather than "0.9000000000000001" or "1.0E-4". */
    public static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
