package dev.cleanroom.engine.api;

import java.nio.file.Path;

/** Where in which file a value was written; line and column start at 1, 0 means unknown. */
public record SourcePosition(Path file, int line, int column) {

    public static SourcePosition unknown(Path file) {
        return new SourcePosition(file, 0, 0);
    }

    @Override
    public String toString() {
        String name = file == null ? "<unknown file>" : file.toString();
        if (line <= 0) {
            return name;
        }
        return column <= 0 ? name + ":" + line : name + ":" + line + ":" + column;
    }
}
