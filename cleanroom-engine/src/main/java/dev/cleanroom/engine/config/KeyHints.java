package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.TomlValueReader.render;

import java.util.ArrayList;
import java.util.List;
import org.tomlj.TomlTable;

/**
 * The hints a problem's fix gives about keys: what to write instead of a wrong value, an example
 * value of a key's type, and the names a misspelled service key is compared with for "did you mean".
 */
final class KeyHints {

    private KeyHints() {}

    /** What to write instead of {@code raw}, a value of the wrong type for {@code key}. */
    static String fixFor(ConfigKey key, Object raw) {
        return switch (key.type()) {
            case STRING_LIST ->
                raw instanceof String s
                        ? "write it as a list: " + key.path() + " = [\""
                                + String.join("\", \"", s.trim().split("\\s+")) + "\"]"
                        : "write a list of strings, e.g. " + key.path() + " = [\"a\", \"b\"]";
            case STRING_MAP -> "write one entry per line, e.g. " + key.path() + ".NAME = \"value\"";
            case DURATION -> "write e.g. " + key.path() + " = \"30s\"";
            case STRING ->
                raw instanceof String
                        ? ""
                        : "quote the value: " + key.path() + " = \""
                                + render(raw).replace("\"", "") + "\"";
            default -> "write " + key.path() + " = " + example(key);
        };
    }

    /** A value of the key's type, as the fix for a missing key shows it. */
    static String example(ConfigKey key) {
        return switch (key.type()) {
            case STRING -> "\"...\"";
            case INTEGER -> "1";
            case BOOLEAN -> "true";
            case NUMBER -> "1.0";
            case DURATION -> "\"30s\"";
            case STRING_LIST -> "[\"...\"]";
            case STRING_MAP -> "{ NAME = \"value\" }";
        };
    }

    /**
     * The names an unknown key of a service (at {@code prefix} inside its table) may be a
     * misspelling of: the engine's keys, the type's keys and, for a table, the type's table names.
     */
    static List<String> acceptedServiceKeys(ConfigSchema schema, String prefix, Object raw) {
        List<String> accepted = new ArrayList<>(ServicesReader.SERVICE_ENGINE_KEYS.stream()
                .map(key -> key.equals("reset") ? "reset.command" : key)
                .toList());
        schema.keys().forEach(k -> accepted.add(k.path()));
        if (raw instanceof TomlTable) {
            // `helth.http = ...` arrives as an unknown table "helth": compare with table names too.
            schema.keys().forEach(k -> {
                int dot = k.path().indexOf('.', prefix.length());
                if (dot > 0 && !accepted.contains(k.path().substring(0, dot))) {
                    accepted.add(k.path().substring(0, dot));
                }
            });
        }
        return accepted;
    }
}
