package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.KeyHints.fixFor;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.SourcePosition;
import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.spi.Key;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Typed reads of single TOML values with their positions in the file, and how a found value is
 * shown in a message. A value of the wrong type becomes a problem in the file's one list and
 * reads as empty, so reading goes on and the file's other problems are found in the same round.
 */
final class TomlValueReader {

    private static final int SHOWN_TEXT_LENGTH = 80;

    private final Path file;
    private final List<ConfigProblem> problems;

    TomlValueReader(Path file, List<ConfigProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    Path file() {
        return file;
    }

    /** The problems found so far; the readers of one file all add to this list. */
    List<ConfigProblem> problems() {
        return problems;
    }

    // --- typed reads of engine-level keys (steps, depends_on) -------------------------------

    Optional<String> readString(TomlTable table, String key, String path) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return Optional.of(s);
        }
        problems.add(new ConfigProblem(
                position(table, key),
                path,
                "expected a string, found " + describe(value) + " " + render(value),
                "quote the value"));
        return Optional.empty();
    }

    Optional<List<String>> readStringList(TomlTable table, String key, String path) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return Optional.empty();
        }
        List<String> list = toStringList(value);
        if (list == null) {
            problems.add(new ConfigProblem(
                    position(table, key),
                    path,
                    "expected a list of strings, found " + describe(value) + " " + render(value),
                    fixFor(ConfigKey.optional(key, Key.Kind.STRING_LIST, "", ""), value)));
            return Optional.empty();
        }
        return Optional.of(list);
    }

    Optional<Integer> readInt(TomlTable table, String key, String path, int min, int max) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Long l && l >= min && l <= max) {
            return Optional.of(l.intValue());
        }
        problems.add(new ConfigProblem(
                position(table, key),
                path,
                "expected an integer from " + min + " to " + max + ", found " + describe(value) + " " + render(value),
                "write " + key + " = " + min));
        return Optional.empty();
    }

    boolean readBoolean(TomlTable table, String key, String path) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        problems.add(new ConfigProblem(
                position(table, key),
                path,
                "expected true or false, found " + describe(value) + " " + render(value),
                "write " + key + " = true (no quotes)"));
        return false;
    }

    Optional<Duration> readDuration(TomlTable table, String key, String path) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return Optional.empty();
        }
        Duration duration = toDuration(value);
        if (duration == null) {
            problems.add(new ConfigProblem(
                    position(table, key),
                    path,
                    "expected " + Key.Kind.DURATION.description() + ", found " + describe(value) + " " + render(value),
                    "write " + key + " = \"30s\""));
        }
        return Optional.ofNullable(duration);
    }

    Map<String, String> readMap(TomlTable table, String key, String path) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return Map.of();
        }
        Map<String, String> map = toStringMap(value);
        if (map == null) {
            problems.add(new ConfigProblem(
                    position(table, key),
                    path,
                    "expected a table of names to values, found " + describe(value),
                    "write " + key + ".NAME = \"value\""));
            return Map.of();
        }
        return map;
    }

    /** One problem per bad name or value of {@code entries}, at the entry's own line. */
    void checkEnvironment(TomlTable entries, String path) {
        for (String name : entries.keySet()) {
            String entryPath = path + "." + EnvironmentEntries.tomlKey(name);
            SourcePosition at = position(entries, name);
            EnvironmentEntries.nameProblem(name)
                    .ifPresent(message ->
                            problems.add(new ConfigProblem(at, entryPath, message, EnvironmentEntries.NAME_FIX)));
            if (entries.get(List.of(name)) instanceof String value) {
                EnvironmentEntries.valueProblem(value)
                        .ifPresent(message ->
                                problems.add(new ConfigProblem(at, entryPath, message, "remove it from the value")));
            }
        }
    }

    SourcePosition position(TomlTable table, String key) {
        return position(table.inputPositionOf(List.of(key)));
    }

    SourcePosition position(TomlPosition p) {
        return p == null ? SourcePosition.unknown(file) : new SourcePosition(file, p.line(), p.column());
    }

    // --- conversions shared by schema keys and engine keys ------------------------------------

    static boolean allTables(TomlArray array) {
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable)) {
                return false;
            }
        }
        return true;
    }

    static Duration toDuration(Object raw) {
        if (raw instanceof Long seconds) {
            return seconds >= 0 && seconds <= 366L * 24 * 3600 ? Duration.ofSeconds(seconds) : null;
        }
        return raw instanceof String s ? Durations.parse(s).orElse(null) : null;
    }

    static List<String> toStringList(Object raw) {
        if (!(raw instanceof TomlArray array)) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                return null;
            }
            list.add(s);
        }
        return list;
    }

    static Map<String, String> toStringMap(Object raw) {
        if (!(raw instanceof TomlTable table)) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String key : table.keySet()) {
            Object value = table.get(List.of(key));
            if (value instanceof String
                    || value instanceof Long
                    || value instanceof Double
                    || value instanceof Boolean) {
                map.put(key, value.toString());
            } else {
                return null;
            }
        }
        return map;
    }

    static String describe(Object value) {
        if (value instanceof String) {
            return "a string";
        } else if (value instanceof Long) {
            return "an integer";
        } else if (value instanceof Double) {
            return "a number";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof TomlArray) {
            return "a list";
        } else if (value instanceof TomlTable) {
            return "a table";
        }
        return "a date or time";
    }

    /** The value as TOML would show it, cut short so a huge value cannot flood the log. */
    static String render(Object value) {
        String text;
        if (value instanceof String s) {
            text = "\"" + s + "\"";
        } else if (value instanceof TomlArray array) {
            text = array.toJson().replaceAll("\\s+", " ").strip();
        } else if (value instanceof TomlTable) {
            return "";
        } else {
            text = String.valueOf(value);
        }
        return shorten(text);
    }

    /** User text shown in a message, cut short so a huge value cannot flood the log. */
    static String shorten(String text) {
        return text.length() > SHOWN_TEXT_LENGTH ? text.substring(0, SHOWN_TEXT_LENGTH - 3) + "..." : text;
    }
}
