package dev.cleanroom.engine.config;

/** The kinds of value a configuration key accepts, worded the way users read them. */
public enum ValueType {
    STRING("a string"),
    INTEGER("an integer"),
    BOOLEAN("true or false"),
    NUMBER("a number"),
    /** "250ms", "5s", "2m", "1h", or an integer number of seconds. */
    DURATION("a duration such as \"500ms\", \"30s\" or \"2m\""),
    /** An argv-style list: ["sh", "-c", "echo hi"]. */
    STRING_LIST("a list of strings"),
    /** A table of names to scalar values, written as {@code key.NAME = "value"}. */
    STRING_MAP("a table of names to values");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
